// Technology transfer and innovation: the gate form's "next stage" only matters for a "go";
// it is disabled (and says so) when "stop" is chosen. Everything works without this script.
(function () {
  "use strict";
  function setUp(form) {
    var stage = form.querySelector("select[name=to_stage]");
    var radios = form.querySelectorAll("input[name=decision]");
    if (!stage || !radios.length) return;
    function update() {
      var chosen = form.querySelector("input[name=decision]:checked");
      var stop = chosen && chosen.value === "stop";
      stage.disabled = stop;
      stage.setAttribute("aria-disabled", stop ? "true" : "false");
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    form.addEventListener("submit", function () { stage.disabled = false; });
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[action$='/process/gate/']").forEach(setUp);
  });
})();
