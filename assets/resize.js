// The timeline is drawn as wide as the page measures it (its labels are laid out for that
// width: dashboard/timeline_figure.py), so a resize of the window measures it again; the
// dashboard then draws it anew. `page-width` and `timeline-graph` are dashboard/ids.py's.
let measuredWidth = null;  // the width the dashboard was last told
window.timelineWidth = function () {
    const el = document.getElementById('timeline-graph');
    measuredWidth = Math.round((el && el.getBoundingClientRect().width) || (window.innerWidth - 340));
    return measuredWidth;
};
(function () {
    let waiting = null;
    window.addEventListener('resize', function () {
        clearTimeout(waiting);
        waiting = setTimeout(function () {
            // Only a new width: each set_props runs the dashboard's callback, which also gives up
            // a zoom of the map (a window made only taller or shorter changes nothing here).
            const before = measuredWidth;
            const width = window.timelineWidth();
            if (width !== before && window.dash_clientside && window.dash_clientside.set_props) {
                window.dash_clientside.set_props('page-width', {data: width});
            }
        }, 300);
    });
})();
