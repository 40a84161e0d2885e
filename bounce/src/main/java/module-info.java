/**
 * maildx bounce: delivery, delay and feedback notices — RFC 3464 delivery status notifications, RFC
 * 6533 internationalized ones, the non-standard formats real MTAs send, RFC 5965 feedback reports
 * and auto-replies — and the reason taxonomy they are classified into.
 *
 * <p>Needs nothing but maildx-core at run time. Jakarta Mail is optional ({@code requires static}):
 * only {@link dev.maildx.bounce.JakartaMailBounces}, which classifies a {@code jakarta.mail.Part}
 * an application already holds, needs it.
 */
module dev.maildx.bounce {
  requires transitive dev.maildx.core;
  requires static org.jspecify;
  requires static jakarta.mail;

  exports dev.maildx.bounce;

  provides dev.maildx.spi.CheckProvider with
      dev.maildx.bounce.BounceChecks;
}
