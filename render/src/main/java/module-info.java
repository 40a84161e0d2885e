/**
 * maildx render: a diagnosis, or one check's report, as text, JSON and HTML — the renderings the
 * {@code maildx} command line prints, as library API.
 *
 * <p>Needs maildx-core and Jackson databind at run time; no Jackson type appears in its API.
 */
module dev.maildx.render {
  requires transitive dev.maildx.core;
  requires com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports dev.maildx.render;
}
