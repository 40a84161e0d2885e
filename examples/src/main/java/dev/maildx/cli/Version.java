package dev.maildx.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"maildx " + (v == null ? "0.1.0-SNAPSHOT" : v)};
  }
}
