// The timeline is drawn as wide as the page measures it (its labels are laid out for that
// width: dashboard/timeline_figure.py), so a resize of the window measures it again; the
// dashboard then draws it anew. `page-width` and `timeline-graph` are dashboard/ids.py's.
window.timelineWidth = function () {
    const el = document.getElementById('timeline-graph');
    return Math.round((el && el.getBoundingClientRect().width) || (window.innerWidth - 340));
};
(function () {
    let waiting = null;
    window.addEventListener('resize', function () {
        clearTimeout(waiting);
        waiting = setTimeout(function () {
            if (window.dash_clientside && window.dash_clientside.set_props) {
                window.dash_clientside.set_props('page-width', {data: window.timelineWidth()});
            }
        }, 300);
    });
})();
