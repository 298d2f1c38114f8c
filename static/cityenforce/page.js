// Every page: the language switcher submits itself when a language is chosen (a file, as the CSP allows no inline handler).
(function () {
  "use strict";
  document.querySelectorAll("form.lang select[name=language]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

// Lists of people: a search box above every people picker (and every long multi-select) filters its options by
// name as one types; chosen people stay visible. Without script the plain select still works.
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh").toLowerCase().indexOf("zh") === 0;
  var selects = document.querySelectorAll("select[data-search=people], select[multiple]");
  selects.forEach(function (select) {
    if (!select.matches("[data-search=people]") && select.options.length <= 8) { return; }
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = zh ? "输入姓名或单位筛选…" : "Type a name or team to filter…";
    box.setAttribute("aria-label", box.placeholder);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        var text = (option.text + " " + group).toLowerCase();
        option.hidden = needle !== "" && !option.selected && option.value !== "" && text.indexOf(needle) === -1;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = Array.prototype.every.call(group.children, function (o) { return o.hidden; });
      });
    });
  });
})();
