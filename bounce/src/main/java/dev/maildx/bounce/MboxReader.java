package dev.maildx.bounce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits an mbox file into messages as it streams it (mboxrd/mboxo: a message starts at a line
 * beginning {@code From } after an empty line or at the start; {@code >From } lines are unescaped).
 * Only one message is held in memory at a time, and at most the size limit of it.
 */
final class MboxReader {
  private MboxReader() {}

  interface Sink {
    void message(byte[] bytes, int len, boolean truncated, String name);
  }

  static void read(InputStream in, String source, int maxBytes, Sink sink) throws IOException {
    ByteArrayOutputStream msg = new ByteArrayOutputStream(64 * 1024);
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    boolean truncated = false;
    boolean prevBlank = true;
    boolean started = false;
    int count = 0;
    int c;
    boolean eof = false;
    while (!eof) {
      line.reset();
      boolean lineTooLong = false;
      while (true) {
        c = in.read();
        if (c < 0) {
          eof = true;
          break;
        }
        if (line.size() < maxBytes) {
          line.write(c);
        } else {
          lineTooLong = true;
        }
        if (c == '\n') {
          break;
        }
      }
      if (line.size() == 0) {
        break;
      }
      byte[] l = line.toByteArray();
      boolean fromLine =
          l.length >= 5 && l[0] == 'F' && l[1] == 'r' && l[2] == 'o' && l[3] == 'm' && l[4] == ' ';
      if (fromLine && prevBlank) {
        if (started) {
          sink.message(msg.toByteArray(), msg.size(), truncated, source + "#" + (++count));
        }
        msg.reset();
        truncated = false;
        started = true;
        prevBlank = false;
        continue;
      }
      started = true;
      int off = 0;
      if (l.length >= 6 && l[0] == '>') {
        int k = 0;
        while (k < l.length && l[k] == '>') {
          k++;
        }
        if (l.length - k >= 5
            && l[k] == 'F'
            && l[k + 1] == 'r'
            && l[k + 2] == 'o'
            && l[k + 3] == 'm'
            && l[k + 4] == ' ') {
          off = 1;
        }
      }
      if (msg.size() + l.length - off <= maxBytes) {
        msg.write(l, off, l.length - off);
      } else {
        truncated = true;
      }
      truncated |= lineTooLong;
      prevBlank = l.length == 1 && l[0] == '\n' || l.length == 2 && l[0] == '\r' && l[1] == '\n';
    }
    if (started && msg.size() > 0) {
      sink.message(msg.toByteArray(), msg.size(), truncated, source + "#" + (++count));
    }
  }
}
