// The story form's tag picker (articles/admin/tags.py). A typed name goes to the server
// as "new:<name>", so a name made of digits ("2024") is never read as an existing tag's id;
// and the "new tag" choice is listed after the existing matches, so typing the start of an
// existing tag and pressing Enter picks that tag instead of creating a near-duplicate.
(function ($) {
  "use strict";
  if (!$ || !$.fn.select2) return;
  $.fn.select2.defaults.set("createTag", function (params) {
    var term = $.trim(params.term);
    return term === "" ? null : { id: "new:" + term, text: term, newTag: true };
  });
  $.fn.select2.defaults.set("insertTag", function (data, tag) {
    var wanted = tag.text.toLowerCase();
    var exists = data.some(function (item) {
      return (item.text || "").toLowerCase() === wanted;
    });
    if (!exists) data.push(tag);
  });
})(window.django && window.django.jQuery);
