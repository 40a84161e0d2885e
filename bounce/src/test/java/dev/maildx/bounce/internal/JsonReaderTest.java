package dev.maildx.bounce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bounded RFC 8259 reader under the SES notices: values, escapes, what it refuses, its bounds.
 */
class JsonReaderTest {
  static final int LIMIT = Json.MAX_CHARS;

  static Object read(String json) throws JsonReader.MalformedJsonException {
    return JsonReader.parse(json, LIMIT);
  }

  @Test
  void plainValues_areMapsListsStringsNumbersBooleansAndNull() throws Exception {
    Object v =
        read(
            " {\"s\": \"x\", \"n\": -12.5e2, \"i\": 0, \"t\": true, \"f\": false, \"z\": null,\n"
                + " \"a\": [1, {}, []], \"o\": {\"k\": \"v\"}}\r\n");

    assertThat(v).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(m.keySet())
        .containsExactly("s", "n", "i", "t", "f", "z", "a", "o"); // document order
    assertThat(m.get("s")).isEqualTo("x");
    assertThat(m.get("n")).isEqualTo(new BigDecimal("-12.5e2"));
    assertThat(m.get("i")).isEqualTo(BigDecimal.ZERO);
    assertThat(m.get("t")).isEqualTo(Boolean.TRUE);
    assertThat(m.get("f")).isEqualTo(Boolean.FALSE);
    assertThat(m.containsKey("z")).isTrue();
    assertThat(m.get("z")).isNull();
    assertThat(m.get("a")).isEqualTo(List.of(BigDecimal.ONE, Map.of(), List.of()));
    assertThat(m.get("o")).isEqualTo(Map.of("k", "v"));
    assertThat(read("\"top\"")).isEqualTo("top");
    assertThat(read("null")).isNull();
  }

  @Test
  void everyEscape_isDecoded() throws Exception {
    assertThat(read("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u0041\\u20AC\""))
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t éA€");
  }

  @Test
  void escapedSurrogatePair_isOneCodePoint() throws Exception {
    Object v = read("\"\\ud83d\\ude00 ok\"");

    assertThat(v).isEqualTo("\uD83D\uDE00 ok");
    assertThat(((String) v).codePointAt(0)).isEqualTo(0x1F600);
  }

  @Test
  void loneSurrogates_becomeTheReplacementCharacter() throws Exception {
    assertThat(read("\"a\\ud83db\"")).isEqualTo("a\uFFFDb"); // high, no low
    assertThat(read("\"a\\ude00b\"")).isEqualTo("a\uFFFDb"); // low alone
    assertThat(read("\"\\ud83d\\u0041\""))
        .isEqualTo("\uFFFDA"); // high, then an escape that is no low half
    assertThat(read("\"\\ud83d\\ud83d\\ude00\"")).isEqualTo("\uFFFD\uD83D\uDE00");
    assertThat(read("\"\\ud83d\"")).isEqualTo("\uFFFD"); // at the end of the string
    assertThat(read("\"x\uD83Dy\"")).isEqualTo("x\uFFFDy"); // unpaired in the text itself
    assertThat(read("\"\uD83D\uDE00\"")).isEqualTo("\uD83D\uDE00");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "[",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "[1,2",
        "\"abc",
        "{\"a\":\"b", // truncated, unterminated
        "{} x",
        "{}}",
        "[1]]",
        "1 2",
        "{\"a\":1}garbage", // trailing garbage
        "{'a':1}",
        "{a:1}",
        "[1,]",
        "{\"a\":1,}",
        "[,1]",
        "{,}",
        "{\"a\" 1}",
        "{\"a\":1 \"b\":2}", // structure
        "\"a\nb\"",
        "\"tab\there\"",
        "\"\u0000\"", // raw control characters in a string
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"\\U0041\"",
        "\"\\\"",
        "\"\\u\uFF10\uFF10\uFF10\uFF10\"", // escapes
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "1e+",
        "+1",
        "0x10",
        "NaN",
        "Infinity",
        "-Infinity",
        "1.5e99999999999", // numbers
        "tru",
        "nul",
        "True",
        "nulls", // literals
        "{\"a\":1,\"a\":2}", // a member named twice
        "\uFEFF{}",
        "/* c */ {}",
        "{\"a\":1}\u00a0" // no BOM, comments or other white space
      })
  void malformed_isRefused(String json) {
    assertThatThrownBy(() -> read(json)).isInstanceOf(JsonReader.MalformedJsonException.class);
  }

  @Test
  void tenThousandNestedArrays_areRefusedAtTheDepthBound_withoutRecursingThatDeep() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);

    assertTimeout(
        Duration.ofSeconds(2),
        () ->
            assertThatThrownBy(() -> read(deep))
                .isInstanceOf(JsonReader.MalformedJsonException.class)
                .hasMessageContaining("nested deeper than 64"));
    assertThatThrownBy(() -> read("{\"a\":".repeat(10_000)))
        .isInstanceOf(JsonReader.MalformedJsonException.class)
        .hasMessageContaining("nested deeper than 64");
  }

  @Test
  void nestingUpToTheBound_isRead() throws Exception {
    assertThat(read("[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH)))
        .isInstanceOf(List.class);
    assertThatThrownBy(
            () -> read("[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1)))
        .isInstanceOf(JsonReader.MalformedJsonException.class);
  }

  @Test
  void fiveMegabyteString_isRefusedByLength_beforeItIsRead() {
    String big = "{\"notificationType\":\"Bounce\",\"x\":\"" + "a".repeat(5 * 1024 * 1024) + "\"}";

    assertTimeout(
        Duration.ofSeconds(2),
        () -> {
          assertThatThrownBy(() -> read(big))
              .isInstanceOf(JsonReader.MalformedJsonException.class)
              .hasMessageContaining("longer than");
          // As a prefix, reading stops at the limit too.
          assertThatThrownBy(() -> JsonReader.parsePrefix(big, 0, LIMIT))
              .isInstanceOf(JsonReader.MalformedJsonException.class)
              .hasMessageContaining("longer than the limit");
        });
  }

  @Test
  void tooManyValues_areRefused() {
    char[] zeros = new char[2 * JsonReader.MAX_VALUES + 1];
    Arrays.fill(zeros, ',');
    for (int i = 0; i < zeros.length; i += 2) {
      zeros[i] = '0';
    }
    String many = "[" + new String(zeros) + "]";

    assertThatThrownBy(() -> JsonReader.parse(many, many.length()))
        .isInstanceOf(JsonReader.MalformedJsonException.class)
        .hasMessageContaining("values");
  }

  @Test
  void overlongNumber_isRefused_notParsedDigitByDigit() {
    String digits = "1".repeat(100_000);

    assertTimeout(
        Duration.ofSeconds(2),
        () ->
            assertThatThrownBy(() -> read("[" + digits + "]"))
                .isInstanceOf(JsonReader.MalformedJsonException.class)
                .hasMessageContaining("number longer"));
  }

  @Test
  void prefix_endsRightAfterTheValue() throws Exception {
    String text = "preamble {\"a\":[1,\"}\"]}\n-- footer {";
    JsonReader.Prefix p = JsonReader.parsePrefix(text, text.indexOf('{'), LIMIT);

    assertThat(p.value()).isEqualTo(Map.of("a", List.of(BigDecimal.ONE, "}")));
    assertThat(text.substring(p.end())).isEqualTo("\n-- footer {");
  }
}
