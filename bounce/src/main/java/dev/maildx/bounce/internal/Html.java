package dev.maildx.bounce.internal;

/**
 * Turns HTML into plain text well enough to read a notice: tags dropped, block ends become line
 * breaks.
 */
final class Html {
  private Html() {}

  static String toText(String html) {
    StringBuilder b = new StringBuilder(html.length());
    int n = html.length();
    int i = 0;
    while (i < n) {
      char c = html.charAt(i);
      if (c == '<') {
        int close = html.indexOf('>', i + 1);
        if (close < 0) {
          break;
        }
        String tag =
            html.substring(i + 1, Math.min(close, i + 12)).toLowerCase(java.util.Locale.ROOT);
        if (tag.startsWith("style") || tag.startsWith("script")) {
          int end =
              html.toLowerCase(java.util.Locale.ROOT)
                  .indexOf("</" + (tag.startsWith("style") ? "style" : "script"), close);
          i = end < 0 ? n : html.indexOf('>', end) + 1;
          if (i <= 0) {
            i = n;
          }
          continue;
        }
        if (tag.startsWith("br")
            || tag.startsWith("p")
            || tag.startsWith("/p")
            || tag.startsWith("div")
            || tag.startsWith("/div")
            || tag.startsWith("tr")
            || tag.startsWith("li")
            || tag.startsWith("/tr")
            || tag.startsWith("h")) {
          b.append('\n');
        } else if (tag.startsWith("td") || tag.startsWith("/td")) {
          b.append(' ');
        }
        i = close + 1;
      } else if (c == '&') {
        int semi = html.indexOf(';', i);
        if (semi > i && semi - i < 10) {
          String ent = html.substring(i + 1, semi);
          switch (ent) {
            case "lt":
              b.append('<');
              break;
            case "gt":
              b.append('>');
              break;
            case "amp":
              b.append('&');
              break;
            case "quot":
              b.append('"');
              break;
            case "nbsp":
              b.append(' ');
              break;
            case "#39":
            case "apos":
              b.append('\'');
              break;
            default:
              if (ent.startsWith("#")) {
                try {
                  int cp =
                      ent.startsWith("#x")
                          ? Integer.parseInt(ent.substring(2), 16)
                          : Integer.parseInt(ent.substring(1));
                  b.appendCodePoint(cp);
                } catch (RuntimeException e) {
                  b.append(' ');
                }
              } else {
                b.append(' ');
              }
          }
          i = semi + 1;
        } else {
          b.append(c);
          i++;
        }
      } else {
        b.append(c);
        i++;
      }
    }
    return b.toString();
  }
}
