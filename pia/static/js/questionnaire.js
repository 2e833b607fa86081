// Questionnaire pages: hide questions that do not apply, and save automatically.
// Both are improvements only: without JavaScript every question is shown (with a
// note saying when it applies) and the Save buttons do the same work.
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave]");
  if (!form) {
    return;
  }

  // ---- show-if ---------------------------------------------------------------
  function fieldValue(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    if (!inputs.length) {
      return undefined;
    }
    var first = inputs[0];
    if (first.type === "radio") {
      for (var i = 0; i < inputs.length; i++) {
        if (inputs[i].checked) {
          return toAnswer(inputs[i].value);
        }
      }
      return undefined;
    }
    if (first.type === "checkbox") {
      var chosen = [];
      inputs.forEach(function (input) {
        if (input.checked) {
          chosen.push(input.value);
        }
      });
      return chosen;
    }
    return first.value === "" ? undefined : first.value;
  }

  function toAnswer(value) {
    if (value === "ja") {
      return true;
    }
    if (value === "nee") {
      return false;
    }
    return value;
  }

  function answered(value) {
    if (value === undefined || value === null) {
      return false;
    }
    if (Array.isArray(value)) {
      return value.length > 0;
    }
    return String(value).trim() !== "";
  }

  function holds(condition, element) {
    if (condition.all) {
      return condition.all.every(function (c) { return holds(c, element); });
    }
    if (condition.any) {
      return condition.any.some(function (c) { return holds(c, element); });
    }
    if (condition.not) {
      return !holds(condition.not, element);
    }
    var value;
    if (condition.scope === "column") {
      value = fieldValue((element.getAttribute("data-row-prefix") || "") + condition.ref);
    } else {
      var own = "q_" + condition.ref.replace(/\./g, "_");
      var prefix = element.getAttribute("data-scope-prefix") || "";
      value = prefix ? fieldValue(prefix + own) : undefined;
      if (value === undefined) {
        value = fieldValue(own);
      }
    }
    if (condition.op === "answered") {
      return answered(value) === condition.value;
    }
    var listed = Array.isArray(condition.value) ? condition.value : [condition.value];
    if (condition.op === "any_of") {
      return Array.isArray(value) && value.some(function (v) { return listed.indexOf(v) >= 0; });
    }
    return listed.indexOf(value) >= 0;
  }

  function applyConditions() {
    form.querySelectorAll("[data-show-if]").forEach(function (element) {
      var condition;
      try {
        condition = JSON.parse(element.getAttribute("data-show-if"));
      } catch (e) {
        return;
      }
      var visible = holds(condition, element);
      element.hidden = !visible;
      var note = element.querySelector(".question__condition");
      if (note) {
        note.hidden = true; // the question appears and disappears by itself now
      }
    });
  }

  // ---- autosave --------------------------------------------------------------
  var status = form.querySelector("[data-autosave-status]");
  var version = form.querySelector("[data-base-version]");
  var timer = null;
  var saving = false;
  var dirty = false;
  var DELAY = 2500;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // What is stored now, as the server counted it after the save.
  function showProgress(progress) {
    if (!progress) {
      return;
    }
    var bar = document.getElementById("voortgang");
    if (bar) {
      bar.value = progress.percent;
      bar.textContent = progress.percent + "%";
    }
    var label = document.querySelector("[data-progress-label]");
    if (label) {
      label.textContent = progress.label;
    }
    Object.keys(progress.sections).forEach(function (id) {
      var cell = document.querySelector('[data-section-status="' + id + '"]');
      if (cell) {
        cell.textContent = progress.sections[id];
      }
    });
  }

  function save() {
    if (saving) {
      dirty = true;
      return;
    }
    saving = true;
    dirty = false;
    say("Bezig met opslaan…");
    var data = new FormData(form);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", Accept: "application/json" }
    })
      .then(function (response) {
        return response.json().then(
          function (body) {
            return { ok: response.ok, body: body };
          },
          function () {
            // Not JSON (a proxy's page, say): still tell what happened, in words.
            return {
              ok: false,
              body: {
                message:
                  response.status === 413
                    ? "Niet opgeslagen: het formulier is te groot om in één keer te versturen. Uw tekst staat nog op de pagina."
                    : "Niet opgeslagen (foutcode " + response.status + "). Uw tekst staat nog op de pagina; klik op ‘Opslaan’."
              }
            };
          }
        );
      })
      .then(function (result) {
        if (result.ok && result.body.status === "saved") {
          version.value = result.body.version;
          var outcome = document.querySelector("[data-prescan-outcome]");
          if (outcome && result.body.outcome) {
            outcome.textContent = result.body.outcome;
          }
          showProgress(result.body.progress);
          var now = new Date();
          say("Opgeslagen om " + now.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit" }) + ".");
        } else {
          say(result.body.message || "Niet opgeslagen. Klik op ‘Opslaan’.");
        }
      })
      .catch(function () {
        say("Niet opgeslagen: geen verbinding. Uw tekst staat nog op de pagina; klik later op ‘Opslaan’.");
      })
      .then(function () {
        saving = false;
        if (submitWaiting) {
          var submitter = pendingSubmitter;
          submitWaiting = false;
          pendingSubmitter = null;
          if (form.requestSubmit) {
            form.requestSubmit(submitter || undefined);
          } else {
            form.submit();
          }
          return;
        }
        if (dirty) {
          schedule();
        }
      });
  }

  function schedule() {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(save, DELAY);
  }

  form.addEventListener("input", function () {
    applyConditions();
    schedule();
  });
  form.addEventListener("change", function () {
    applyConditions();
    schedule();
  });
  var submitWaiting = false;
  var pendingSubmitter = null;

  form.addEventListener("submit", function (event) {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (saving) {
      // An autosave is on its way: wait for its new version, then submit, so the
      // user never gets a conflict with their own autosave.
      event.preventDefault();
      submitWaiting = true;
      pendingSubmitter = event.submitter || null;
      dirty = false;
    }
  });

  applyConditions();
})();
