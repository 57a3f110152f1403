// docgen's only script: everything works without it; with it, drafts save as they are typed
// (and survive a lost connection), checks appear beside each field, and live parts of pages
// (the check-in board, the review lists, a job's progress) refresh themselves.
// No inline script anywhere: the Content Security Policy forbids it.
"use strict";

(function () {
  var SAVE_DELAY = 800;
  var CHOICE_DELAY = 100;

  function csrfOf(form) {
    var field = form.querySelector("input[name=csrf]");
    return field ? field.value : "";
  }

  function setState(el, text, kind) {
    if (!el) { return; }
    el.textContent = text;
    el.className = "save-state" + (kind ? " " + kind : "");
  }

  function issueNode(issue) {
    var p = document.createElement("p");
    p.className = "issue " + issue.severity;
    var tag = document.createElement("strong");
    tag.className = "tag";
    tag.textContent = issue.severity === "error" ? "Error" : "Check";
    p.appendChild(tag);
    p.appendChild(document.createTextNode(" " + issue.message));
    if (issue.citation) {
      var cite = document.createElement("span");
      cite.className = "cite";
      cite.textContent = "Policy: " + issue.citation;
      p.appendChild(document.createTextNode(" "));
      p.appendChild(cite);
    }
    return p;
  }

  function showIssues(form, result) {
    var boxes = form.querySelectorAll("[data-issues]");
    boxes.forEach(function (box) {
      var name = box.getAttribute("data-issues");
      var list = name ? (result.fields[name] || []) : result.form;
      box.replaceChildren.apply(box, list.map(issueNode));
      var holder = box.closest(".field");
      if (holder && name) {
        var bad = list.some(function (i) { return i.severity === "error"; });
        holder.classList.toggle("has-errors", bad);
        holder.querySelectorAll("input, select, textarea").forEach(function (input) {
          if (input.type === "hidden") { return; }
          if (bad) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
        });
      }
    });
    ["missing", "errors", "warnings"].forEach(function (name) {
      var count = form.querySelector("[data-count=" + name + "]");
      if (count) { count.textContent = result[name]; }
    });
  }

  // A question that applies only to some visits: the server says, on every save, whether it
  // applies given the answers so far; one that stopped applying (and is not answered) folds
  // away under a line saying why, one that started applying opens. Nothing is ever removed:
  // a folded question stays in the form, so whatever it holds is still saved.
  function refold(form, applying) {
    if (!applying) { return ""; }
    var active = document.activeElement;
    var opened = 0;
    var folded = 0;
    form.querySelectorAll("[data-applies]").forEach(function (box) {
      var state = applying[box.getAttribute("data-applies")];
      if (!state) { return; }
      var kept = box.querySelector(":scope > [data-kept]");
      if (kept) { kept.textContent = state.kept; kept.hidden = !state.kept; }
      var why = box.querySelector(":scope > summary [data-why]");
      var now = state.why ? "skipped" : "shown";
      if (now === box.getAttribute("data-state")) {
        if (why && state.why) { why.textContent = state.why; }
        return;
      }
      // never fold away the question being typed in
      if (state.why && active && box.contains(active)) { return; }
      box.setAttribute("data-state", now);
      box.classList.toggle("applying", !state.why);
      if (why) { why.textContent = state.why; }
      box.open = !state.why;
      if (state.why) { folded += 1; } else { opened += 1; }
    });
    markRuns(form);
    var parts = [];
    if (opened) { parts.push(opened + (opened === 1 ? " question now applies" : " questions now apply")); }
    if (folded) { parts.push(folded + (folded === 1 ? " question no longer applies and is folded away" : " questions no longer apply and are folded away")); }
    return parts.length ? " " + parts.join("; ") + "." : "";
  }

  // questions folded away for the reason of the one before them say it once
  function markRuns(form) {
    function why(box) {
      var line = box.querySelector(":scope > summary [data-why]");
      return line ? line.textContent : "";
    }
    form.querySelectorAll("[data-applies]").forEach(function (box) {
      var before = box.previousElementSibling;
      var run = box.getAttribute("data-state") === "skipped" && !!before &&
        before.matches("[data-applies][data-state='skipped']") && why(before) === why(box);
      box.classList.toggle("run", run);
    });
  }

  function autosave(form) {
    var url = form.getAttribute("data-autosave");
    var key = "docgen-draft-" + form.getAttribute("data-record");
    var state = document.getElementById("save-state");
    var timer = null;
    var busy = false;
    var again = false;

    function pending() {
      // unsaved answers survive a reload of this tab (never written to disk for good: the tab's
      // session storage is cleared when the tab closes, and at once when the server has them)
      var entries = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrf" && name !== "action") { entries.push([name, value]); }
      });
      try { sessionStorage.setItem(key, JSON.stringify(entries)); } catch (e) { /* full */ }
    }

    function save() {
      if (busy) { again = true; return; }
      busy = true;
      setState(state, "Saving…", "");
      var body = new FormData(form);
      body.delete("action");
      fetch(url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRF-Token": csrfOf(form) }
      }).then(function (response) {
        if (response.status === 401) {
          setState(state, "You have been signed out. Your answers are kept on this page: sign in again in another tab, then come back and keep typing.", "offline");
          return null;
        }
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      }).then(function (result) {
        if (!result) { return; }
        try { sessionStorage.removeItem(key); } catch (e) { /* ignore */ }
        var changes = refold(form, result.applying);
        setState(state, "Saved at " + result.saved + "." + changes, "saved");
        showIssues(form, result);
      }).catch(function () {
        setState(state, "No connection: your answers are kept on this page and will be saved when the connection is back.", "offline");
      }).finally(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
    }

    function changed(event) {
      pending();
      if (timer) { clearTimeout(timer); }
      // a choice made (not text typed) is saved at once: the questions it opens appear
      var chosen = event && event.type === "change" && event.target &&
        (event.target.tagName === "SELECT" || event.target.type === "radio" ||
         event.target.type === "checkbox");
      timer = setTimeout(save, chosen ? CHOICE_DELAY : SAVE_DELAY);
    }

    // answers typed while offline and the page reloaded: put them back and save them
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && kept.length) {
      kept.forEach(function (pair) {
        var fields = form.querySelectorAll("[name='" + CSS.escape(pair[0]) + "']");
        fields.forEach(function (field) {
          if (field.type === "radio" || field.type === "checkbox") {
            field.checked = field.value === pair[1];
          } else {
            field.value = pair[1];
          }
        });
      });
      setState(state, "Answers kept on this page while offline were put back; saving…", "offline");
      save();
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    window.addEventListener("online", save);
  }

  function live(el) {
    var url = el.getAttribute("data-live");
    var every = Math.max(parseFloat(el.getAttribute("data-every")) || 15, 0.5) * 1000;
    var until = el.getAttribute("data-until");

    function refresh() {
      // someone is about to press a button in it: wait, rather than pull it from under them
      var active = document.activeElement;
      if (active && active !== document.body && el.contains(active)) {
        setTimeout(refresh, every);
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { "X-Live": "1" } })
        .then(function (response) {
          if (response.status === 401) { window.location.assign("/login"); return null; }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) { return; }
          // the server renders and escapes this fragment; parse it without running anything
          var parsed = new DOMParser().parseFromString(html, "text/html");
          el.replaceChildren.apply(el, Array.prototype.slice.call(parsed.body.childNodes));
          var state = el.querySelector("[data-state]");
          if (until && state && state.getAttribute("data-state") !== "running") { return; }
          setTimeout(refresh, every);
        })
        .catch(function () { setTimeout(refresh, every); });
    }
    setTimeout(refresh, every);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
    document.querySelectorAll("[data-live]").forEach(live);
  });
}());
