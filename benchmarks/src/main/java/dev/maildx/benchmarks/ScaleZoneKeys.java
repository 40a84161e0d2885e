package dev.maildx.benchmarks;

/** Key material for the benchmarks' DNS data. */
final class ScaleZoneKeys {
  /**
   * A real 2048-bit RSA public key (SubjectPublicKeyInfo, base64), generated for these benchmarks.
   */
  static final String RSA_2048 =
      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo5a8dMHawVuPheohg+FEEfxm7nq3HUVge4ZbSDvE9rf+lpNwYhU6qAIrgmjx58uMC4JjzvWVGAf/3FXSSdoC9nJpRKGAq/E4IjJ2jPUIb8vZHDnB2hJrzOxBi/1iiz97F72MAhPNHKALn1A5+G0CKRHTZjxejAUdnwzmumGTYuEHwLL11pr0Q/hqZp2orAhepxHxFFN1Ss/oSQYt+PErTpFodKZGdxM3OlK0IUKcwQopaoUFD69x7S4zBU+aqbQkdqKQfLpk1ycq2uSS0stLNUW3nGjUR0MNOTMArirU4GBkf93yRN8FIPbs8rnmqcBbZCSHylD2B/9zgyG861TK/wIDAQAB";

  private ScaleZoneKeys() {}
}
