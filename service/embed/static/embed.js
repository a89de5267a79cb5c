/*
 * Moderato comment widget.
 *
 * Install with one element and one script tag:
 *   <div id="moderato-thread"></div>
 *   <script src="https://comments.example.org/embed.js" defer
 *           data-moderato-post="https://blog.example.org/post.html"
 *           data-moderato-title="Post title"></script>
 *
 * Optional: data-moderato-site="my-blog" (default "default"),
 * data-moderato-lang="es" (default: the page's <html lang>; one file per language in i18n/),
 * data-moderato-theme="light" | "dark" | "auto" (default auto: follows the page's background),
 * data-moderato-sort="oldest" | "newest" | "top-newest".
 * Index pages: any element with data-moderato-count="<post URL>" gets that post's count.
 *
 * Safety rule: server-sanitized `html` (a comment, a preview) is the only string ever
 * assigned through innerHTML; every other value goes through textContent or attributes.
 */
(function () {
  "use strict";

  // Captured now: document.currentScript is null once this first run is over.
  var script = document.currentScript;
  if (!script || !window.fetch) return;

  function attr(name) { return script.getAttribute("data-moderato-" + name); }

  var origin = new URL(script.src, location.href).origin;
  var site = attr("site") || "default";
  var canonical = document.querySelector("link[rel=canonical]");
  var post = attr("post") || (canonical && canonical.href) || location.href.split("#")[0];
  var title = attr("title") || document.title;
  var sort = attr("sort") || "oldest";
  var theme = attr("theme") || "auto";
  var lang = (attr("lang") || document.documentElement.lang || "en").toLowerCase().split("-")[0];
  if (!/^[a-z]{2,3}$/.test(lang)) lang = "en";
  var storageKey = "moderato:own:" + site + ":" + post;
  var DAY = 864e5;
  var FIELDS = ["author", "email", "url", "body"]; // named as the API names them
  var reducedMotion = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;
  var t, relativeFormat, exactFormat;

  function api(path, params) {
    var query = new URLSearchParams({ site: site });
    Object.keys(params || {}).forEach(function (k) { query.append(k, params[k]); });
    return origin + "/api/v1/" + path + "?" + query;
  }

  function call(method, path, body, headers) {
    var init = { method: method, headers: Object.assign({ Accept: "application/json" }, headers) };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(api(path), init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  /** Load this language's strings (one file each), falling back to English. */
  function loadStrings(code) {
    var all = window.ModeratoI18n = window.ModeratoI18n || {};
    if (all[code]) return Promise.resolve(code);
    return new Promise(function (resolve, reject) {
      var tag = el("script", { src: origin + "/embed/i18n/" + code + ".js", async: true });
      tag.onload = function () { return all[code] ? resolve(code) : reject(); };
      tag.onerror = reject;
      document.head.append(tag);
    }).catch(function () { return code === "en" ? Promise.reject() : loadStrings("en"); });
  }

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

  function button(text, onclick, quiet, label) {
    return el("button", {
      type: "button", class: "moderato-button" + (quiet ? " moderato-button--quiet" : ""),
      text: text, onclick: onclick, "aria-label": label
    });
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

  /* ---- The reader's own comments, remembered on this device with their edit tokens ---- */

  function readOwn() {
    try {
      var now = Date.now();
      return (JSON.parse(localStorage.getItem(storageKey)) || []).filter(function (c) {
        // Held ones until a moderator decides (or a month); the others while editable.
        return c.status === "pending" ? now - Date.parse(c.created) < 30 * DAY : now < Date.parse(c.until);
      });
    } catch (error) {
      return [];
    }
  }

  function writeOwn(list) {
    try {
      if (list.length) localStorage.setItem(storageKey, JSON.stringify(list));
      else localStorage.removeItem(storageKey);
    } catch (error) { /* storage disabled or full: the comment just won't survive a reload */ }
  }

  function own(id) {
    return readOwn().filter(function (c) { return c.id === id; })[0];
  }

  function saveOwn(record) {
    record.changed = Date.now();
    writeOwn(readOwn().filter(function (c) { return c.id !== record.id; }).concat(record ? [record] : []));
  }

  function forget(id) {
    writeOwn(readOwn().filter(function (c) { return c.id !== id; }));
  }

  /* ---- Theme: light, dark, or follow the page's own background ---- */

  function pageIsDark(node) {
    for (; node && node.nodeType === 1; node = node.parentNode) {
      var rgb = getComputedStyle(node).backgroundColor.match(/[\d.]+/g);
      if (rgb && (rgb.length < 4 || +rgb[3] > 0.5)) {
        return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255 < 0.5;
      }
    }
    return null; // transparent all the way up: let the reader's system decide
  }

  function applyTheme(root, container) {
    var dark = theme === "dark" || (theme === "light" ? false : pageIsDark(container));
    root.classList.toggle("moderato--dark", dark === true);
    root.classList.toggle("moderato--light", dark === false);
  }

  /* ---- Comment counts for index pages ---- */

  function fillCounts() {
    var targets = document.querySelectorAll("[data-moderato-count]");
    if (!targets.length) return;
    var posts = [].map.call(targets, function (node) { return node.getAttribute("data-moderato-count"); });
    var query = new URLSearchParams({ site: site });
    posts.forEach(function (p) { query.append("post", p); });
    fetch(origin + "/api/v1/counts?" + query, { cache: changedLately() ? "no-cache" : "default" })
      .then(function (r) { return r.json(); }).then(function (data) {
      [].forEach.call(targets, function (node, i) { node.textContent = t.count(data.counts[posts[i]] || 0); });
    }, function () { /* counts are decoration: leave the page's own text */ });
  }

  /* ---- The widget ---- */

  function build(container, threadRequest, tokenRequest) {
    var root = el("section", { class: "moderato", "aria-labelledby": "moderato-heading", lang: lang });
    var heading = el("h2", { id: "moderato-heading", class: "moderato-heading", text: t.heading });
    var status = el("p", { class: "moderato-status", role: "status", "aria-live": "polite" });
    var notice = el("p", { class: "moderato-notice", text: t.loading });
    var thread = el("ol", { class: "moderato-comments" });
    var formSlot = el("div", { class: "moderato-form-slot" });
    var total = 0;
    var nodes = {}; // comment id -> its <li>
    var formToken = null;
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

    function refreshToken(request) {
      formToken = null;
      return (request || fetch(api("form-token", { post: post })).then(function (r) { return r.json(); }))
        .then(function (data) { formToken = data.token || null; }, function () { formToken = null; });
    }

    /** Render one comment: server ones carry sanitized `html`, local pending ones plain `text`. */
    function renderComment(comment) {
      var pending = comment.status === "pending";
      var created = new Date(comment.created);
      if (isNaN(created)) created = new Date(); // one odd timestamp must not break the thread
      var website = comment.url && safeHttpUrl(comment.url);
      var author = comment.deleted ? null : website
        ? el("a", { class: "moderato-author", href: website, rel: "nofollow ugc noopener", text: comment.author })
        : el("span", { class: "moderato-author", text: comment.author });
      var body = el("div", { class: "moderato-body" });
      if (comment.deleted) body.append(el("p", { class: "moderato-deleted", text: t.deleted }));
      else if (comment.html != null) body.innerHTML = comment.html;
      else body.append(el("p", { class: "moderato-text", text: comment.text }));
      var actions = el("div", { class: "moderato-actions" },
        !pending && !comment.deleted && button(t.reply, function (event) { openReply(comment, event.currentTarget); },
          true, t.replyTo(comment.author)));

      var article = el("article", { class: "moderato-comment-inner", tabindex: "-1" },
        el("header", { class: "moderato-meta" },
          author,
          el("a", { class: "moderato-permalink", href: "#moderato-comment-" + comment.id },
            el("time", { datetime: comment.created, title: exactFormat.format(created), text: relativeTime(created) })),
          comment.reply_to && el("span", { class: "moderato-replyto", text: t.inReplyTo(comment.reply_to) }),
          pending && el("span", { class: "moderato-badge", text: t.pending })),
        body, actions);

      var item = el("li", {
        id: "moderato-comment-" + comment.id,
        class: "moderato-comment" + (pending ? " moderato-comment--pending" : "")
      }, article);
      nodes[comment.id] = item;
      var mine = !comment.deleted && own(comment.id);
      if (mine) addOwnerActions(item, actions, mine);
      return item;
    }

    /** Edit and delete buttons while the edit window lasts; they go away when it ends. */
    function addOwnerActions(item, actions, mine) {
      var left = Date.parse(mine.until) - Date.now();
      if (!(left > 0)) return;
      var edit = button(t.edit, function () { startEdit(item, mine); }, true);
      var remove = button(t.remove, function () {
        if (remove.getAttribute("data-confirm") == null) {
          remove.setAttribute("data-confirm", "");
          remove.textContent = t.confirmRemove;
          announce(t.confirmRemoveStatus);
          setTimeout(function () { remove.removeAttribute("data-confirm"); remove.textContent = t.remove; }, 6000);
          return;
        }
        ownerCall("DELETE", mine, null, item).then(function (result) {
          if (!result) return;
          forget(mine.id);
          var replies = item.querySelector(".moderato-replies");
          if (replies) replaceComment(item, { id: mine.id, deleted: true, created: mine.created, parent: mine.parent }, replies);
          else {
            item.remove();
            delete nodes[mine.id];
            if (mine.status !== "pending") setTotal(total - 1);
          }
          announce(t.removed);
        });
      }, true);
      actions.append(edit, remove);
      setTimeout(function () { edit.remove(); remove.remove(); }, Math.min(left, 2147483647));
    }

    function ownerCall(method, mine, body, item) {
      var error = item.querySelector(".moderato-edit-error") || el("p", { class: "moderato-error moderato-edit-error", role: "alert" });
      error.remove();
      return call(method, "comments/" + mine.id, body, { "Moderato-Edit-Token": mine.token }).then(function (result) {
        if (result.status < 300) return result;
        item.firstChild.append(error);
        error.textContent = messageFor(result.status, result.data);
        if (result.status === 403 || result.status === 404) forget(mine.id);
      }, function () {
        item.firstChild.append(error);
        error.textContent = t.network;
      });
    }

    function replaceComment(item, comment, replies) {
      var fresh = renderComment(comment);
      if (replies) fresh.append(replies);
      item.replaceWith(fresh);
      return fresh;
    }

    function startEdit(item, mine) {
      var article = item.firstChild;
      var body = article.querySelector(".moderato-body");
      var actions = article.querySelector(":scope > .moderato-actions");
      var id = "moderato-edit-" + mine.id;
      var area = el("textarea", {
        id: id, rows: "5", class: "moderato-edit",
        onkeydown: function (event) { if (event.key === "Escape") close(); }
      });
      area.value = mine.text;
      var editor = el("div", { class: "moderato-field" }, el("label", { for: id, text: t.editLabel }), area,
        el("div", { class: "moderato-actions" },
          el("button", { type: "button", class: "moderato-button", text: t.save, onclick: save }),
          button(t.cancelEdit, close, true)));
      function close() {
        editor.remove();
        body.hidden = actions.hidden = false;
        var first = actions.querySelector("button");
        if (first) first.focus();
      }
      function save() {
        var text = area.value.trim();
        if (!text) return area.focus();
        ownerCall("PUT", mine, { body: text }, item).then(function (result) {
          if (!result) return;
          var published = result.status === 200;
          mine.text = text;
          mine.html = published ? result.data.html : null;
          mine.status = published ? "published" : "pending";
          saveOwn(mine);
          if (!published && item.className.indexOf("pending") < 0) setTotal(total - 1);
          var replies = item.querySelector(".moderato-replies");
          var fresh = replaceComment(item, published ? result.data : ownView(mine), replies);
          fresh.firstChild.focus();
          announce(published ? t.saved : t.savedPending);
        });
      }
      body.hidden = actions.hidden = true;
      body.after(editor);
      area.focus();
    }

    /** How the reader's own comment looks before the server lists it. */
    function ownView(mine) {
      return { id: mine.id, parent: mine.parent, author: mine.author, url: mine.url, text: mine.text,
        html: mine.status === "pending" ? null : mine.html, created: mine.created, status: mine.status };
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
    var previewButton = button(t.preview, togglePreview, true);
    previewButton.setAttribute("aria-expanded", "false");
    var previewBox = el("div", { class: "moderato-preview", id: "moderato-preview", hidden: true });
    previewButton.setAttribute("aria-controls", previewBox.id);
    var cancel = button(t.cancel, function () { closeReply(true); }, true);
    cancel.hidden = true;
    // People never see or reach this field; form-filling robots fill it in.
    var trap = el("div", { class: "moderato-hp", "aria-hidden": "true" },
      el("label", { for: "moderato-homepage", text: t.honeypot }),
      el("input", { id: "moderato-homepage", name: "homepage", type: "text", tabindex: "-1", autocomplete: "off" }));
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
      field("body", t.body, el("textarea", { rows: "5", required: true }), t.bodyHint),
      trap, previewBox, formError,
      el("div", { class: "moderato-actions" }, submit, previewButton, cancel));
    formSlot.append(form);

    function togglePreview() {
      var open = previewBox.hidden;
      previewBox.hidden = !open;
      previewButton.textContent = open ? t.hidePreview : t.preview;
      previewButton.setAttribute("aria-expanded", String(open));
      if (!open) return;
      previewBox.textContent = "";
      var text = form.elements.body.value.trim();
      if (!text) return previewBox.append(el("p", { text: t.missing }));
      call("POST", "preview", { body: text }).then(function (result) {
        previewBox.textContent = "";
        var content = el("div", { class: "moderato-body" });
        if (result.status === 200) content.innerHTML = result.data.html; // sanitized by the server
        else content.textContent = messageFor(result.status, result.data);
        previewBox.append(el("p", { class: "moderato-preview-title", text: t.previewTitle }), content);
      }, function () { previewBox.textContent = t.network; });
    }

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

      var payload = { site: site, post: post, title: title, author: values.author, body: values.body };
      if (values.email) payload.email = values.email;
      if (values.url) payload.url = values.url;
      if (parentId != null) payload.parent = parentId;
      if (form.elements.homepage.value) payload.homepage = form.elements.homepage.value;
      if (formToken) payload.form_token = formToken;

      busy(true);
      call("POST", "comments", payload).then(function (result) {
        busy(false);
        handleResponse(result.status, result.data, payload);
      }, function () {
        busy(false);
        showErrors([{ field: null, message: t.network }]);
      });
    }

    /** The reader's words for an API refusal: translated by its code, else the server's. */
    function messageFor(code, data) {
      if (t.errors[data.error]) return t.errors[data.error];
      if (code === 429) return t.rateLimited;
      if (code >= 500 || !data.message) return t.failed;
      return data.message;
    }

    function handleResponse(code, data, payload) {
      if (code === 201 || code === 202) {
        var mine = {
          id: data.id, parent: payload.parent == null ? null : payload.parent,
          author: payload.author, url: payload.url || null, text: payload.body,
          created: code === 201 ? data.created : new Date().toISOString(),
          status: code === 201 ? "published" : "pending", token: data.edit_token, until: data.editable_until,
          html: data.html
        };
        saveOwn(mine);
        if (code === 201) setTotal(total + 1);
        form.elements.body.value = "";
        if (!previewBox.hidden) togglePreview();
        if (parentId != null) closeReply(false);
        var item = renderComment(code === 201 ? data : ownView(mine));
        place(item, mine.parent);
        showNew(item);
        announce(code === 201 ? t.published : t.pendingStatus);
        refreshToken(); // the next comment gets its own timing
        return;
      }
      if (/^form_token/.test(data.error)) refreshToken();
      var errors = Array.isArray(data.errors) && data.errors.length && !t.errors[data.error]
        ? data.errors.slice() : [{ field: data.field || null, message: messageFor(code, data) }];
      if (code === 429 || code >= 500 || /^form_token|honeypot|origin/.test(data.error)) {
        errors = [{ field: null, message: messageFor(code, data) }];
      }
      showErrors(errors.map(function (e) {
        var message = e.message || t.invalid;
        // Messages for the reader's own fields sit under the label; others need the field named.
        if (FIELDS.indexOf(e.field) >= 0) message = message.charAt(0).toUpperCase() + message.slice(1);
        else if (e.field && !t.errors[data.error] && message.indexOf(e.field + ":") !== 0) message = e.field + ": " + message;
        return { field: e.field, message: message };
      }));
    }

    /* ---- Loading the thread ---- */

    function load(request) {
      notice.textContent = t.loading;
      notice.hidden = false;
      (request || fetchThread()).then(function (response) {
        if (!response || !response.ok) throw new Error(response ? "HTTP " + response.status : "offline");
        return response.json();
      }).then(render, function () {
        notice.textContent = t.loadFailed + " ";
        notice.append(button(t.retry, function () { load(); }, true));
      });
    }

    function render(data) {
      thread.textContent = "";
      nodes = {};
      notice.textContent = t.empty;
      notice.hidden = false;
      data.comments.forEach(function (comment) { place(renderComment(comment), comment.parent); });
      setTotal(data.total != null ? data.total : data.comments.length);

      // The reader's own comments the server does not list (yet): held ones, or ones newer
      // than the cached thread. A held comment becomes an ordinary one once listed.
      var mineList = readOwn();
      mineList.forEach(function (mine) {
        if (nodes[mine.id]) mine.status = "published";
        else place(renderComment(ownView(mine)), mine.parent);
      });
      writeOwn(mineList);

      var target = location.hash && document.getElementById(location.hash.slice(1));
      if (target && root.contains(target)) target.scrollIntoView();
    }

    container.append(root);
    applyTheme(root, container);
    if (theme === "auto" && window.matchMedia) {
      matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () { applyTheme(root, container); });
    }
    refreshToken(tokenRequest);
    load(threadRequest);
  }

  /** Right after the reader changed something here, the browser's cached copies are stale. */
  function changedLately() {
    return readOwn().some(function (c) { return Date.now() - (c.changed || 0) < 120000; });
  }

  function fetchThread() {
    return fetch(api("comments", { post: post, sort: sort }), {
      headers: { Accept: "application/json" }, cache: changedLately() ? "no-cache" : "default"
    });
  }

  function start() {
    var container = document.getElementById("moderato-thread");
    var counts = document.querySelector("[data-moderato-count]");
    if (!container && !counts) return;
    if (!document.querySelector("link[data-moderato]")) {
      document.head.append(el("link", { rel: "stylesheet", href: origin + "/embed.css", "data-moderato": true }));
    }
    // The thread, the form token and the strings load side by side.
    // Failures are handled once the widget is built; caught now so none goes unhandled meanwhile.
    var threadRequest = container && fetchThread().catch(function () { return null; });
    var tokenRequest = container && fetch(api("form-token", { post: post }))
      .then(function (r) { return r.json(); }).catch(function () { return {}; });
    loadStrings(lang).then(function (code) {
      lang = code;
      t = window.ModeratoI18n[code];
      relativeFormat = window.Intl && Intl.RelativeTimeFormat && new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
      exactFormat = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });
      fillCounts();
      if (container) build(container, threadRequest, tokenRequest);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
