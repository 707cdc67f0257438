/* Draws the charts of the coordinators' pages. Each <canvas data-chart="ID"> takes its data
   from the JSON block with that id: {"type": "bar", "labels": [...], "series": [{"label": ...,
   "values": [...]}]}. No inline scripts: the page's Content-Security-Policy forbids them. */
(function () {
    "use strict";
    var colours = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545"];
    // A doughnut's slices are states: on track, due, overdue.
    var states = ["#198754", "#ffc107", "#dc3545"];
    var charts = [];

    function draw(canvas) {
        var source = document.getElementById(canvas.dataset.chart);
        if (!source || typeof Chart === "undefined") {
            return;
        }
        var data = JSON.parse(source.textContent);
        charts.push(new Chart(canvas, {
            type: data.type || "bar",
            data: {
                labels: data.labels,
                datasets: data.series.map(function (series, index) {
                    var colour = data.type === "doughnut" ? states : colours[index % colours.length];
                    return {
                        label: series.label,
                        data: series.values,
                        backgroundColor: colour,
                        borderColor: data.type === "doughnut" ? "#fff" : colour
                    };
                })
            },
            options: {
                animation: false,
                responsive: true,
                maintainAspectRatio: false,
                plugins: {legend: {display: data.series.length > 1 || data.type === "doughnut"}},
                scales: data.type === "doughnut" ? {} : {y: {beginAtZero: true, ticks: {precision: 0}}}
            }
        }));
    }

    // Printed on A4 the page is narrower than the screen: draw the charts again to fit.
    function fit() {
        charts.forEach(function (chart) {
            chart.resize();
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("canvas[data-chart]").forEach(draw);
    });
    window.addEventListener("beforeprint", fit);
    window.addEventListener("afterprint", fit);
})();
