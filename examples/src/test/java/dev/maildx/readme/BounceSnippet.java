package dev.maildx.readme;

import dev.maildx.bounce.BounceParser;
import dev.maildx.report.BounceReport;
import java.nio.file.Path;

/** README, "Bounces". */
final class BounceSnippet {
  private BounceSnippet() {}

  // region readme
  static BounceReport explain(Path notice) { // e.g. Path.of("bounce.eml")
    BounceReport r = BounceParser.create().parse(notice);
    r.kind(); // BOUNCE, DELAY, ...
    r.recipients().get(0).reason(); // e.g. userunknown
    r.recipients().get(0).explanation(); // what it means and who must act
    return r;
  }
  // endregion
}
