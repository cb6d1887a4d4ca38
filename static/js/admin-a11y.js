// Django's two-box pickers (groups and permissions on the staff pages) put their help on a bare
// <span aria-label>, which assistive technology may ignore and axe refuses (aria-prohibited-attr):
// giving the icon the role of an image makes its words its name. The pickers are drawn on load.
window.addEventListener("load", function () {
    document.querySelectorAll(".search-label-icon[aria-label]").forEach(function (icon) {
        icon.setAttribute("role", "img");
    });
});
