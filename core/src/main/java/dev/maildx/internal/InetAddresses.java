package dev.maildx.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/** IP address literals and address classes, without ever touching DNS. */
public final class InetAddresses {
  private InetAddresses() {}

  /**
   * Parses an IPv4 dotted quad or an IPv6 literal (brackets allowed); never resolves a name.
   *
   * @param text the literal
   * @return the address
   * @throws IllegalArgumentException if it is not an IP literal
   */
  public static InetAddress parse(String text) {
    InetAddress a = tryParse(text);
    if (a == null) {
      throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
    return a;
  }

  /**
   * Parses an IP literal, or returns {@code null}.
   *
   * @param text candidate literal
   * @return the address or {@code null}
   */
  public static @Nullable InetAddress tryParse(String text) {
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.isEmpty()) {
      return null;
    }
    byte[] bytes = s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte @Nullable [] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        return null; // leading zeros are ambiguous (octal in some parsers)
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte @Nullable [] parseV6(String s) {
    int pct = s.indexOf('%');
    if (pct >= 0) {
      return null; // zone ids are meaningless here
    }
    byte[] tail4 = null;
    int lastColon = s.lastIndexOf(':');
    String head = s;
    if (s.indexOf('.', lastColon) > lastColon) {
      tail4 = parseV4(s.substring(lastColon + 1));
      if (tail4 == null) {
        return null;
      }
      head = s.substring(0, lastColon + 1) + "0:0";
    }
    int dc = head.indexOf("::");
    if (dc >= 0 && head.indexOf("::", dc + 1) >= 0) {
      return null;
    }
    String[] left;
    String[] right;
    if (dc >= 0) {
      String l = head.substring(0, dc);
      String r = head.substring(dc + 2);
      left = l.isEmpty() ? new String[0] : l.split(":", -1);
      right = r.isEmpty() ? new String[0] : r.split(":", -1);
      if (left.length + right.length > 7) {
        return null;
      }
    } else {
      left = head.split(":", -1);
      right = new String[0];
      if (left.length != 8) {
        return null;
      }
    }
    int[] groups = new int[8];
    for (int i = 0; i < left.length; i++) {
      int g = group(left[i]);
      if (g < 0) {
        return null;
      }
      groups[i] = g;
    }
    for (int i = 0; i < right.length; i++) {
      int g = group(right[i]);
      if (g < 0) {
        return null;
      }
      groups[8 - right.length + i] = g;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (groups[i] >> 8);
      out[2 * i + 1] = (byte) groups[i];
    }
    if (tail4 != null) {
      System.arraycopy(tail4, 0, out, 12, 4);
    }
    return out;
  }

  private static int group(String g) {
    if (g.isEmpty() || g.length() > 4) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < g.length(); i++) {
      int d = Character.digit(g.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  /**
   * The textual form without a host name part: {@code 192.0.2.1} or {@code 2001:db8::1}.
   *
   * @param a the address
   * @return its literal
   */
  public static String toLiteral(InetAddress a) {
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      // RFC 5952 canonical form: longest run of zero groups compressed, lower case.
      int[] g = new int[8];
      for (int i = 0; i < 8; i++) {
        g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
      }
      int bestStart = -1;
      int bestLen = 0;
      for (int i = 0; i < 8; ) {
        if (g[i] == 0) {
          int j = i;
          while (j < 8 && g[j] == 0) {
            j++;
          }
          if (j - i > bestLen && j - i > 1) {
            bestStart = i;
            bestLen = j - i;
          }
          i = j;
        } else {
          i++;
        }
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        if (i == bestStart) {
          sb.append("::");
          i += bestLen - 1;
          continue;
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
          sb.append(':');
        }
        sb.append(Integer.toHexString(g[i]));
      }
      return sb.toString();
    }
    return a.getHostAddress();
  }

  /**
   * Classifies addresses that cannot receive mail from the Internet: loopback, private (RFC 1918,
   * RFC 4193), link-local, shared (RFC 6598), documentation (RFC 5737, RFC 3849), multicast,
   * unspecified and reserved ranges (RFC 6890).
   *
   * @param a the address
   * @return the name of the special range, or {@code null} for a public unicast address
   */
  public static @Nullable String specialRange(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
      if (mapped) {
        try {
          return specialRange(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return "reserved";
        }
      }
      boolean allZero = true;
      for (int i = 0; i < 15; i++) {
        allZero &= b[i] == 0;
      }
      if (allZero && b[15] == 1) {
        return "loopback";
      }
      if (allZero && b[15] == 0) {
        return "unspecified";
      }
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if ((b0 & 0xfe) == 0xfc) {
        return "private (unique local)";
      }
      if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
        return "link-local";
      }
      if (b0 == 0xff) {
        return "multicast";
      }
      if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
        return "documentation";
      }
      if (b0 == 0x01 && b1 == 0 && allZeroRange(b, 2, 8)) {
        return "discard-only";
      }
      return null;
    }
    if (!(a instanceof Inet4Address)) {
      return null;
    }
    int x0 = b[0] & 0xff;
    int x1 = b[1] & 0xff;
    int x2 = b[2] & 0xff;
    if (x0 == 127) {
      return "loopback";
    }
    if (x0 == 0) {
      return "unspecified";
    }
    if (x0 == 10 || (x0 == 172 && (x1 & 0xf0) == 16) || (x0 == 192 && x1 == 168)) {
      return "private";
    }
    if (x0 == 100 && (x1 & 0xc0) == 64) {
      return "shared address space";
    }
    if (x0 == 169 && x1 == 254) {
      return "link-local";
    }
    if ((x0 == 192 && x1 == 0 && x2 == 2)
        || (x0 == 198 && x1 == 51 && x2 == 100)
        || (x0 == 203 && x1 == 0 && x2 == 113)) {
      return "documentation";
    }
    if (x0 == 198 && (x1 & 0xfe) == 18) {
      return "benchmarking";
    }
    if (x0 == 192 && x1 == 0 && x2 == 0) {
      return "IETF protocol assignments";
    }
    if (x0 >= 224 && x0 <= 239) {
      return "multicast";
    }
    if (x0 >= 240) {
      return "reserved";
    }
    return null;
  }

  private static boolean allZeroRange(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
