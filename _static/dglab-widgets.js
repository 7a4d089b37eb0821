// Loaded just before the Jupyter widget manager (vendor/html-manager/embed-amd.js) on pages that
// hold widgets (tqdm progress bars, ...). It keeps the manager on this site:
// * its Font Awesome files are looked up next to it, not next to the page;
// * a widget module it does not bundle would be fetched from "data-jupyter-widgets-cdn" (a
//   public CDN by default); this points it at the site itself, so such a widget fails visibly
//   (and the browser tests notice) instead of reaching for the network.
(function () {
  var script = document.currentScript;
  var manager = new URL("vendor/html-manager/", script.src).href;
  window.__jupyter_widgets_assets_path__ = manager;
  script.setAttribute("data-jupyter-widgets-cdn", new URL("vendor/widget-modules/", script.src).href);
})();
