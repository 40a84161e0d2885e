package dev.maildx.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressListTest {
  /** display|address|group of each mailbox, joined with " ; ". */
  static String read(String value) {
    return AddressList.parse(value).stream()
        .map(m -> m.displayName() + "|" + m.address() + (m.group() == null ? "" : "|" + m.group()))
        .collect(Collectors.joining(" ; "));
  }

  @Test
  void johnson_quotedDisplayNameWithCommaAndAngleBrackets_isTheDisplayNameNotTheAddress() {
    // The user's report: maildx-dns's reader gave the address
    // "Johnson,Joe<joe@joe.com>"joe@joe.com.
    List<AddressList.Mailbox> m = AddressList.parse("\"Johnson, Joe <joe@joe.com>\" joe@joe.com");
    assertThat(m).hasSize(1);
    assertThat(m.get(0).displayName()).isEqualTo("Johnson, Joe <joe@joe.com>");
    assertThat(m.get(0).address()).isEqualTo("joe@joe.com");
    assertThat(m.get(0).domain()).hasToString("joe.com");

    assertThat(read("\"Johnson, Joe\" <joe@joe.com>")).isEqualTo("Johnson, Joe|joe@joe.com");
    assertThat(read("\"Johnson, Joe\" <joe@joe.com>, \"Doe, Jane\" <jane@example.org>"))
        .isEqualTo("Johnson, Joe|joe@joe.com ; Doe, Jane|jane@example.org");
    // The address inside a quoted display name is never the address.
    assertThat(read("\"Evil <ceo@bank.example>\" attacker@evil.example"))
        .isEqualTo("Evil <ceo@bank.example>|attacker@evil.example");
    assertThat(read("\"ceo@bank.example\" <attacker@evil.example>"))
        .isEqualTo("ceo@bank.example|attacker@evil.example");
  }

  /**
   * RFC 5322 Appendix A (A.1.1-A.1.3, A.4, A.5, A.6.1, A.6.3), each field value with what it holds.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '#',
      quoteCharacter = '\'',
      value = {
        // A.1.1
        "John Doe <jdoe@machine.example>                      # John Doe|jdoe@machine.example",
        "Mary Smith <mary@example.net>                        # Mary Smith|mary@example.net",
        // A.1.2
        "'\"Joe Q. Public\" <john.q.public@example.com>'      # Joe Q. Public|john.q.public@example.com",
        "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test> # Mary Smith|mary@x.test ; |jdoe@example.org ; Who?|one@y.test",
        "'<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>' # |boss@nil.test ; Giant; \"Big\" Box|sysservices@example.net",
        // A.1.3
        "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>; # Ed Jones|c@a.test|A Group ; |joe@where.test|A Group ; John|jdoe@one.test|A Group",
        "Undisclosed recipients:;                             # ''",
        // A.4 / A.5 (comments, white space)
        "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)> # Pete|pete@silly.test",
        "'A Group(Some people)\r\n     :Chris Jones <c@(Chris''s host.)public.example>,\r\n         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)' # Chris Jones|c@public.example|A Group ; |joe@example.org|A Group ; John|jdoe@one.test|A Group",
        "(Empty list)(start)Hidden recipients  :(nobody(that I know))  ; # ''",
        // A.6.1 obsolete: a phrase with a dot, a source route, an empty element, CFWS around the
        // dot of a domain
        "Joe Q. Public <john.q.public@example.com>            # Joe Q. Public|john.q.public@example.com",
        "Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example # Mary Smith|mary@example.net ; |jdoe@test.example",
        "'<@machine.tld,@relay.tld:jdoe@machine.tld>'         # |jdoe@machine.tld",
        // A.6.3 obsolete white space and comments
        "John Doe <jdoe@machine(comment).  example>           # John Doe|jdoe@machine.example",
        "'Mary Smith\r\n  \r\n <mary@example.net>'           # Mary Smith|mary@example.net",
      })
  void rfc5322AppendixA(String value, String expected) {
    assertThat(read(value)).isEqualTo(expected);
  }

  @Test
  void domainsAreValidatedAndNormalized() {
    AddressList.Mailbox m = AddressList.parse("Jörg <joerg@BÜCHER.example>").get(0);
    assertThat(m.displayName()).isEqualTo("Jörg");
    assertThat(m.domain()).hasToString("xn--bcher-kva.example");
    assertThat(AddressList.parse("<user@[192.0.2.1]>").get(0).domain()).isNull();
    assertThat(AddressList.parse("<user@[192.0.2.1]>").get(0).address())
        .isEqualTo("user@[192.0.2.1]");
    assertThat(AddressList.parse("postmaster").get(0))
        .satisfies(
            p -> {
              assertThat(p.address()).isEqualTo("postmaster");
              assertThat(p.domain()).isNull();
            });
    assertThat(read("<>")).isEmpty();
  }

  @Test
  void quotedLocalPartsStayQuoted() {
    assertThat(read("\"john q\"@example.com")).isEqualTo("|\"john q\"@example.com");
    assertThat(read("\"john\".q@example.com")).isEqualTo("|john.q@example.com");
    assertThat(read("alice @ example.com")).isEqualTo("|alice@example.com");
  }

  @Test
  void encodedWordsInDisplayNames_RFC2047() {
    assertThat(read("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>"))
        .isEqualTo("Keith Moore|moore@cs.utk.edu");
    assertThat(read("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>"))
        .isEqualTo("Keld Jørn Simonsen|keld@dkuug.dk");
    assertThat(read("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>"))
        .isEqualTo("André Pirard|PIRARD@vm1.ulg.ac.be");
    assertThat(read("=?ISO-8859-1?Q?Olle_J=E4rnefors?= <ojarnef@admin.kth.se>"))
        .isEqualTo("Olle Järnefors|ojarnef@admin.kth.se");
    assertThat(read("=?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?= <paf@nada.kth.se>"))
        .isEqualTo("Patrik Fältström|paf@nada.kth.se");
    assertThat(
            read(
                "Nathaniel Borenstein <nsb@thumper.bellcore.com>\r\n      (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)"))
        .isEqualTo("Nathaniel Borenstein|nsb@thumper.bellcore.com");
    // adjacent encoded words: the white space between them is not text (RFC 2047 §6.2)
    assertThat(read("=?UTF-8?B?5bGx55Sw?= =?UTF-8?B?5aSq6YOO?= <taro@example.jp>"))
        .isEqualTo("山田太郎|taro@example.jp");
    // leniently, inside a quoted string too
    assertThat(read("\"=?utf-8?Q?J=C3=B6rg?=\" <j@example.com>")).isEqualTo("Jörg|j@example.com");
  }

  @Test
  void separatorsAndJunk() {
    assertThat(read("a@example.com; b@example.org")).isEqualTo("|a@example.com ; |b@example.org");
    assertThat(read("rfc822; a@example.com")).isEqualTo("|rfc822 ; |a@example.com");
    assertThat(AddressList.first("rfc822; a@example.com").address()).isEqualTo("a@example.com");
    assertThat(read("Name <a@example.com> trailing junk, b@example.org"))
        .isEqualTo("Name|a@example.com ; |b@example.org");
    assertThat(read("<a@example.com")).isEqualTo("|a@example.com");
    assertThat(read("\"unclosed <a@example.com>")).isEmpty();
    assertThat(read("")).isEmpty();
    assertThat(read(",,,;;;:::<<<>>>@@@")).isEmpty();
  }

  @Test
  void hostileInputIsBounded() {
    String many = "a@example.com,".repeat(10_000);
    assertThat(AddressList.parse(many)).hasSize(AddressList.MAX_MAILBOXES);
    String deep = "(".repeat(100_000) + "a@example.com";
    assertThat(AddressList.parse(deep)).isEmpty(); // all of it is one unclosed comment
    String longLocal = "x".repeat(1000) + "@example.com";
    AddressList.Mailbox m = AddressList.parse(longLocal).get(0);
    assertThat(m.address()).hasSize(AddressList.MAX_ADDRESS);
    assertThat(m.domain()).isNull();
    assertThat(AddressList.parse("\"a\u0000b\" <c\u0001d@example.com>").get(0).displayName())
        .isEqualTo("a\\u0000b");
  }
}
