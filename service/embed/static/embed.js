/*
 * Moderato comment widget.
 *
 * Install with one element and one script tag:
 *   <div id="moderato-thread"></div>
 *   <script src="https://comments.example.org/embed.js" defer
 *           data-moderato-post="https://blog.example.org/post.html"
 *           data-moderato-title="Post title"></script>
 *
 * Optional: data-moderato-theme="light" | "dark" (default follows the reader's system),
 * data-moderato-lang="es" (default: the page's <html lang>).
 *
 * Safety rule: the server-sanitized `html` of a comment is the only string ever
 * assigned through innerHTML; every other value goes through textContent or attributes.
 */
(function () {
  "use strict";

  // Captured now: document.currentScript is null once this first run is over.
  var script = document.currentScript;
  if (!script || !window.fetch) return;

  var STRINGS = {
    en: {
      heading: "Comments",
      count: function (n) { return n === 1 ? "1 comment" : n + " comments"; },
      loading: "Loading comments…",
      loadFailed: "Comments could not be loaded.",
      retry: "Try again",
      empty: "No comments yet. Start the conversation.",
      formTitle: "Leave a comment",
      replyTitle: function (name) { return "Reply to " + name; },
      name: "Name",
      email: "Email",
      emailHint: "Optional, never shown.",
      website: "Website",
      websiteHint: "Optional.",
      body: "Comment",
      required: "(required)",
      submit: "Post comment",
      sending: "Sending…",
      reply: "Reply",
      replyTo: function (name) { return "Reply to " + name; },
      cancel: "Cancel reply",
      published: "Comment published.",
      pending: "Awaiting moderation",
      pendingStatus: "Thanks! Your comment is awaiting moderation.",
      missing: "Please fill in this field.",
      invalid: "Please check this field.",
      rateLimited: "You are posting too fast. Please wait a minute and try again; your text is kept.",
      network: "Could not reach the comment server. Check your connection and try again; your text is kept.",
      failed: "Something went wrong. Please try again; your text is kept.",
      justNow: "just now"
    },
    es: {
      heading: "Comentarios",
      count: function (n) { return n === 1 ? "1 comentario" : n + " comentarios"; },
      loading: "Cargando comentarios…",
      loadFailed: "No se pudieron cargar los comentarios.",
      retry: "Reintentar",
      empty: "Aún no hay comentarios. Empieza la conversación.",
      formTitle: "Deja un comentario",
      replyTitle: function (name) { return "Respuesta a " + name; },
      name: "Nombre",
      email: "Correo electrónico",
      emailHint: "Opcional, nunca se muestra.",
      website: "Sitio web",
      websiteHint: "Opcional.",
      body: "Comentario",
      required: "(obligatorio)",
      submit: "Publicar comentario",
      sending: "Enviando…",
      reply: "Responder",
      replyTo: function (name) { return "Responder a " + name; },
      cancel: "Cancelar respuesta",
      published: "Comentario publicado.",
      pending: "Pendiente de moderación",
      pendingStatus: "¡Gracias! Tu comentario está pendiente de moderación.",
      missing: "Rellena este campo.",
      invalid: "Revisa este campo.",
      rateLimited: "Estás publicando demasiado rápido. Espera un minuto y vuelve a intentarlo; tu texto se conserva.",
      network: "No se pudo contactar con el servidor de comentarios. Revisa tu conexión y vuelve a intentarlo; tu texto se conserva.",
      failed: "Algo salió mal. Vuelve a intentarlo; tu texto se conserva.",
      justNow: "ahora mismo"
    }
  };

  var lang = (script.getAttribute("data-moderato-lang") || document.documentElement.lang || "en")
    .toLowerCase().split("-")[0];
  if (!STRINGS[lang]) lang = "en";
  var t = STRINGS[lang];

  var origin = new URL(script.src, location.href).origin;
  var endpoint = origin + "/api/v1/comments";
  var canonical = document.querySelector("link[rel=canonical]");
  var post = script.getAttribute("data-moderato-post") ||
    (canonical && canonical.href) || location.href.split("#")[0];
  var title = script.getAttribute("data-moderato-title") || document.title;
  var theme = script.getAttribute("data-moderato-theme");
  if (theme !== "light" && theme !== "dark") theme = null;
  var storageKey = "moderato:pending:" + post;
  // Held comments the server never lists (rejected ones) stop showing after this long.
  var PENDING_TTL = 30 * 24 * 3600 * 1000;
  // The reader's fields, named as the API names them (the form's control names too).
  var FIELDS = ["author", "email", "url", "body"];

  var reducedMotion = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;
  var relativeFormat = window.Intl && Intl.RelativeTimeFormat &&
    new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  var exactFormat = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });

  /** Create an element; `text` sets textContent, `on*` adds listeners, the rest are attributes. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value == null || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.append(arguments[i]);
    return node;
  }

  function relativeTime(date) {
    var seconds = Math.min((date - Date.now()) / 1000, 0);
    var units = [["year", 31536000], ["month", 2592000], ["week", 604800],
      ["day", 86400], ["hour", 3600], ["minute", 60]];
    if (!relativeFormat) return exactFormat.format(date);
    for (var i = 0; i < units.length; i++) {
      if (-seconds >= units[i][1]) return relativeFormat.format(Math.round(seconds / units[i][1]), units[i][0]);
    }
    return t.justNow;
  }

  function safeHttpUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /* ---- Comments held for moderation, remembered on this device ---- */

  function readPending() {
    try {
      var now = Date.now();
      return (JSON.parse(localStorage.getItem(storageKey)) || []).filter(function (c) {
        return now - Date.parse(c.created) < PENDING_TTL;
      });
    } catch (error) {
      return [];
    }
  }

  function writePending(list) {
    try {
      if (list.length) localStorage.setItem(storageKey, JSON.stringify(list));
      else localStorage.removeItem(storageKey);
    } catch (error) { /* storage disabled or full: the comment just won't survive a reload */ }
  }

  /* ---- Widget skeleton ---- */

  var root = el("section", {
    class: "moderato" + (theme ? " moderato--" + theme : ""),
    "aria-labelledby": "moderato-heading",
    lang: lang
  });
  var heading = el("h2", { id: "moderato-heading", class: "moderato-heading", text: t.heading });
  var status = el("p", { class: "moderato-status", role: "status", "aria-live": "polite" });
  var notice = el("p", { class: "moderato-notice", text: t.loading });
  var thread = el("ol", { class: "moderato-comments" });
  var formSlot = el("div", { class: "moderato-form-slot" });
  var total = 0;
  var nodes = {}; // comment id -> its <li>
  root.append(heading, status, formSlot, notice, thread);

  function announce(message) {
    // Cleared first so the same message twice in a row is announced again.
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);
  }

  function setTotal(n) {
    total = n;
    heading.textContent = n ? t.count(n) : t.heading;
  }

  /** Render one comment: server comments carry sanitized `html`, local pending ones plain `text`. */
  function renderComment(comment) {
    var pending = comment.status === "pending";
    var created = new Date(comment.created);
    if (isNaN(created)) created = new Date(); // one odd timestamp must not break the thread
    var website = comment.url && safeHttpUrl(comment.url);
    var author = website
      ? el("a", { class: "moderato-author", href: website, rel: "nofollow ugc noopener", text: comment.author })
      : el("span", { class: "moderato-author", text: comment.author });
    var body = el("div", { class: "moderato-body" });
    if (comment.html != null) body.innerHTML = comment.html;
    else body.append(el("p", { class: "moderato-text", text: comment.text }));

    var article = el("article", { class: "moderato-comment-inner", tabindex: "-1" },
      el("header", { class: "moderato-meta" },
        author,
        el("a", { class: "moderato-permalink", href: "#moderato-comment-" + comment.id },
          el("time", { datetime: comment.created, title: exactFormat.format(created), text: relativeTime(created) })),
        pending && el("span", { class: "moderato-badge", text: t.pending })),
      body,
      !pending && el("div", { class: "moderato-actions" },
        el("button", {
          type: "button", class: "moderato-button moderato-button--quiet", text: t.reply,
          "aria-label": t.replyTo(comment.author),
          onclick: function (event) { openReply(comment, event.currentTarget); }
        })));

    var item = el("li", {
      id: "moderato-comment-" + comment.id,
      class: "moderato-comment" + (pending ? " moderato-comment--pending" : "")
    }, article);
    nodes[comment.id] = item;
    return item;
  }

  /** Place a comment under its parent (the list arrives in thread order) or at the top level. */
  function place(item, parentId) {
    var parent = parentId != null && nodes[parentId];
    var list = thread;
    if (parent) {
      list = parent.querySelector(":scope > .moderato-replies");
      if (!list) parent.append(list = el("ol", { class: "moderato-replies" }));
    }
    list.append(item);
    notice.hidden = true;
  }

  function showNew(item) {
    var article = item.firstChild;
    item.classList.add("moderato-comment--new");
    article.scrollIntoView({ behavior: reducedMotion ? "auto" : "smooth", block: "nearest" });
    article.focus({ preventScroll: true });
  }

  /* ---- The form (one instance, moved under a comment to reply) ---- */

  function field(name, label, control, hint) {
    var hintId = hint && "moderato-" + name + "-hint";
    control.id = "moderato-" + name;
    control.name = name;
    if (hintId) control.setAttribute("aria-describedby", hintId);
    return el("div", { class: "moderato-field moderato-field--" + name },
      el("label", { for: control.id }, label,
        control.required && el("span", { class: "moderato-required", text: " " + t.required })),
      hint && el("p", { class: "moderato-hint", id: hintId, text: hint }),
      control,
      el("p", { class: "moderato-error", id: "moderato-" + name + "-error", hidden: true }));
  }

  var parentId = null;
  var replyOpener = null;
  var formTitle = el("h3", { class: "moderato-form-title", id: "moderato-form-title", text: t.formTitle });
  var formError = el("p", { class: "moderato-error moderato-form-error", id: "moderato-form-error", hidden: true });
  var submit = el("button", { type: "submit", class: "moderato-button", text: t.submit });
  var cancel = el("button", {
    type: "button", class: "moderato-button moderato-button--quiet", text: t.cancel, hidden: true,
    onclick: function () { closeReply(true); }
  });
  var form = el("form", {
    class: "moderato-form", novalidate: true, "aria-labelledby": "moderato-form-title",
    onsubmit: send,
    onkeydown: function (event) { if (event.key === "Escape" && parentId != null) closeReply(true); }
  },
    formTitle,
    el("div", { class: "moderato-identity" },
      field("author", t.name, el("input", { type: "text", autocomplete: "name", required: true })),
      field("email", t.email, el("input", { type: "email", autocomplete: "email" }), t.emailHint),
      field("url", t.website, el("input", { type: "url", autocomplete: "url" }), t.websiteHint)),
    field("body", t.body, el("textarea", { rows: "5", required: true })),
    formError,
    el("div", { class: "moderato-actions" }, submit, cancel));
  formSlot.append(form);

  function openReply(comment, opener) {
    parentId = comment.id;
    replyOpener = opener;
    formTitle.textContent = t.replyTitle(comment.author);
    cancel.hidden = false;
    clearErrors();
    nodes[comment.id].firstChild.after(form);
    (form.elements.author.value ? form.elements.body : form.elements.author).focus();
  }

  function closeReply(restoreFocus) {
    var opener = replyOpener;
    parentId = null;
    replyOpener = null;
    formTitle.textContent = t.formTitle;
    cancel.hidden = true;
    clearErrors();
    formSlot.append(form);
    if (restoreFocus && opener) opener.focus();
  }

  function setError(name, message) {
    var control = FIELDS.indexOf(name) >= 0 && form.elements[name];
    if (!control) {
      formError.textContent = formError.hidden ? message : formError.textContent + " " + message;
      formError.hidden = false;
      return formError;
    }
    var error = document.getElementById("moderato-" + name + "-error");
    if (!error.hidden) {
      error.textContent += " " + message;
      return control;
    }
    error.textContent = message;
    error.hidden = false;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", (error.id + " " + (control.getAttribute("aria-describedby") || "")).trim());
    return control;
  }

  function clearErrors() {
    formError.hidden = true;
    FIELDS.forEach(function (name) {
      var control = form.elements[name];
      var error = document.getElementById("moderato-" + name + "-error");
      error.hidden = true;
      control.removeAttribute("aria-invalid");
      var describedBy = (control.getAttribute("aria-describedby") || "").replace(error.id, "").trim();
      if (describedBy) control.setAttribute("aria-describedby", describedBy);
      else control.removeAttribute("aria-describedby");
    });
  }

  /** Show a list of {field, message} errors; focus the first and announce it. */
  function showErrors(errors) {
    var first = null;
    errors.forEach(function (e) {
      var target = setError(e.field, e.message);
      first = first || target;
    });
    if (first && first !== formError) first.focus();
    announce(errors[0].message);
  }

  function busy(on) {
    submit.disabled = on;
    submit.textContent = on ? t.sending : t.submit;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function send(event) {
    event.preventDefault();
    clearErrors();
    var values = {};
    FIELDS.forEach(function (name) { values[name] = form.elements[name].value.trim(); });
    var missing = ["author", "body"].filter(function (name) { return !values[name]; })
      .map(function (name) { return { field: name, message: t.missing }; });
    if (missing.length) return showErrors(missing);

    var payload = { post: post, title: title, author: values.author, body: values.body };
    if (values.email) payload.email = values.email;
    if (values.url) payload.url = values.url;
    if (parentId != null) payload.parent = parentId;

    busy(true);
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        busy(false);
        handleResponse(response.status, data, payload);
      });
    }, function () {
      busy(false);
      showErrors([{ field: null, message: t.network }]);
    });
  }

  function handleResponse(code, data, payload) {
    if (code === 201 || code === 202) {
      var comment = code === 201 ? data : {
        id: data.id, parent: payload.parent == null ? null : payload.parent,
        author: payload.author, url: payload.url || null, text: payload.body,
        created: new Date().toISOString(), status: "pending"
      };
      if (code === 202) writePending(readPending().concat([comment]));
      else setTotal(total + 1);
      form.elements.body.value = "";
      if (parentId != null) closeReply(false);
      var item = renderComment(comment);
      place(item, comment.parent);
      showNew(item);
      announce(code === 201 ? t.published : t.pendingStatus);
      return;
    }
    var errors = Array.isArray(data.errors) && data.errors.length ? data.errors.slice()
      : [{ field: data.field || null, message: data.message || t.invalid }];
    if (code === 429) errors = [{ field: null, message: t.rateLimited }];
    else if (code >= 500) errors = [{ field: null, message: t.failed }];
    showErrors(errors.map(function (e) {
      var message = e.message || t.invalid;
      // Messages for the reader's own fields sit under the label; others need the field named.
      if (FIELDS.indexOf(e.field) >= 0) message = message.charAt(0).toUpperCase() + message.slice(1);
      else if (e.field && message.indexOf(e.field + ":") !== 0) message = e.field + ": " + message;
      return { field: e.field, message: message };
    }));
  }

  /* ---- Loading the thread ---- */

  function load() {
    notice.textContent = t.loading;
    notice.hidden = false;
    fetch(endpoint + "?post=" + encodeURIComponent(post), { headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(render, function () {
        notice.textContent = t.loadFailed + " ";
        notice.append(el("button", {
          type: "button", class: "moderato-button moderato-button--quiet", text: t.retry, onclick: load
        }));
      });
  }

  function render(data) {
    thread.textContent = "";
    nodes = {};
    notice.textContent = t.empty;
    notice.hidden = false;
    data.comments.forEach(function (comment) { place(renderComment(comment), comment.parent); });
    setTotal(data.total != null ? data.total : data.comments.length);

    // Held comments stay visible to their author until the server lists them.
    var stillPending = readPending().filter(function (comment) { return !nodes[comment.id]; });
    stillPending.forEach(function (comment) { place(renderComment(comment), comment.parent); });
    writePending(stillPending);

    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && root.contains(target)) target.scrollIntoView();
  }

  function start() {
    var container = document.getElementById("moderato-thread");
    if (!container) return;
    if (!document.querySelector("link[data-moderato]")) {
      document.head.append(el("link", { rel: "stylesheet", href: origin + "/embed.css", "data-moderato": true }));
    }
    container.append(root);
    load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
