package dev.maildx.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodedWordsTest {
  /** RFC 2047 §8: the examples of encoded words in comments, with their display. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '#',
      quoteCharacter = '\'',
      value = {
        "(=?ISO-8859-1?Q?a?=)                       # (a)",
        "(=?ISO-8859-1?Q?a?= b)                     # (a b)",
        "(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)    # (ab)",
        "'(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)' # (ab)",
        "'(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)' # (ab)",
        "(=?ISO-8859-1?Q?a_b?=)                     # (a b)",
        "(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)   # (a b)",
      })
  void rfc2047Section8Comments(String encoded, String shown) {
    assertThat(EncodedWords.decode(encoded)).isEqualTo(shown);
  }

  @Test
  void rfc2047Section8Headers() {
    assertThat(
            EncodedWords.decode(
                "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?="))
        .isEqualTo("If you can read this you understand the example.");
    assertThat(EncodedWords.decode("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>"))
        .isEqualTo("Keith Moore <moore@cs.utk.edu>");
    assertThat(EncodedWords.decode("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?="))
        .isEqualTo("Keld Jørn Simonsen");
    assertThat(EncodedWords.decode("=?ISO-8859-1?Q?Andr=E9?= Pirard")).isEqualTo("André Pirard");
    assertThat(EncodedWords.decode("Time for ISO 10646?")).isEqualTo("Time for ISO 10646?");
    assertThat(EncodedWords.decode("(=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)"))
        .isEqualTo("(םולש ןב ילטפנ)");
    // RFC 2231 §5: a language after the charset
    assertThat(EncodedWords.decode("=?US-ASCII*EN?Q?Keith_Moore?=")).isEqualTo("Keith Moore");
  }

  @Test
  void charsetsAndBrokenWords() {
    // a UTF-8 character split across two words (forbidden by §5, written by encoders) is joined
    assertThat(EncodedWords.decode("=?UTF-8?B?44Gr44KD?= =?UTF-8?B?44O8?= =?UTF-8?B?44KT?="))
        .isEqualTo("にゃーん");
    assertThat(EncodedWords.decode("=?UTF-8?Q?=E3=81?= =?UTF-8?Q?=AB?=")).isEqualTo("に");
    // an unknown charset: what is ASCII stays, the rest is a replacement character
    assertThat(EncodedWords.decode("=?x-klingon?Q?abc=FF?=")).isEqualTo("abc\uFFFD");
    assertThat(EncodedWords.decode("=?unknown-8bit?B?w6k=?="))
        .isEqualTo("é"); // valid UTF-8 reads as UTF-8
    // lower-case encodings, words next to text, text between words
    assertThat(EncodedWords.decode("Re: =?utf-8?q?caf=C3=A9?=!")).isEqualTo("Re: café!");
    assertThat(EncodedWords.decode("=?utf-8?q?a?= and =?utf-8?q?b?=")).isEqualTo("a and b");
    // malformed words stay as they are
    assertThat(EncodedWords.decode("=?utf-8?X?abc?=")).isEqualTo("=?utf-8?X?abc?=");
    assertThat(EncodedWords.decode("=?utf-8?Q?abc")).isEqualTo("=?utf-8?Q?abc");
    assertThat(EncodedWords.decode("=??Q?abc?=")).isEqualTo("=??Q?abc?=");
    assertThat(EncodedWords.decode("a =? b ?= c")).isEqualTo("a =? b ?= c");
    assertThat(EncodedWords.decode("=?utf-8?Q?caf\u00e9?="))
        .isEqualTo("=?utf-8?Q?caf\u00e9?="); // encoded text is ASCII
    // broken base64 decodes what it can
    assertThat(EncodedWords.decode("=?utf-8?B?aGVsbG8*?=")).isEqualTo("hello");
    assertThat(EncodedWords.decode(null)).isEmpty();
  }

  @Test
  void manyOpeningsTakeLinearTime() {
    String s = "=?a?Q?x ".repeat(200_000);
    long t0 = System.nanoTime();
    assertThat(EncodedWords.decode(s)).isEqualTo(s);
    String t = "=?utf-8?Q?x?=".repeat(100_000);
    assertThat(EncodedWords.decode(t)).isEqualTo("x".repeat(100_000));
    String u = "=?a?Q?\u00e9".repeat(10_000) + "?=";
    assertThat(EncodedWords.decode(u)).isEqualTo(u);
    assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
  }
}
