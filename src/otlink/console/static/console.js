// otlink console: the few things a server-rendered page cannot do alone.
// 1. Pushed updates: the page's <body data-events="..."> names its event stream; each event
//    carries {element id: HTML}, put in place as it arrives. EventSource reconnects by itself.
//    A page with data-reload-when="s1 s2" is read again when #run-status becomes one of them.
// 2. Confirmation: a form with data-confirm asks before it is sent (Stop, Home).
"use strict";
(function () {
  const source = document.body.dataset.events;
  if (source && window.EventSource) {
    const stream = new EventSource(source);
    stream.onmessage = function (event) {
      const parts = JSON.parse(event.data);
      for (const id of Object.keys(parts)) {
        const element = document.getElementById(id);
        if (element) element.innerHTML = parts[id];
      }
      document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
      const status = document.getElementById("run-status");
      const ends = (document.body.dataset.reloadWhen || "").split(" ");
      if (status && ends.includes(status.textContent.trim())) window.location.reload();
    };
  }
  document.addEventListener("submit", function (event) {
    const question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
