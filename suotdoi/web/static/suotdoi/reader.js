/* A course kept on the phone (#27): "Download for offline" on the course page puts the
   course's bundle (lessons, quiz questions without their answers), its offline page and its
   files (videos only when asked, with their size) in a cache of their own; the offline page
   draws the course from that bundle, the same with or without signal. Lessons finished and
   quiz answers go through the outbox (outbox.js): sent once, in order, when there is a
   connection; the server's answer says what counted. */
(function () {
  const CACHE = "suotdoi-course-";
  const COURSES = "suotdoi-courses";

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function megabytes(bytes) {
    const mb = bytes / 1048576;
    return (mb < 0.1 ? "0,1" : mb.toFixed(1).replace(".", ",")) + " MB";
  }
  function remember(course, url) {
    let list = [];
    try { list = JSON.parse(localStorage.getItem(COURSES) || "[]"); } catch (e) { list = []; }
    list = list.filter((c) => c.id !== course.id);
    list.push({ id: course.id, title: course.title, url });
    try { localStorage.setItem(COURSES, JSON.stringify(list.slice(-20))); } catch (e) { /* */ }
  }

  // --- the course page: download ------------------------------------------------------------
  const box = document.getElementById("offline-download");
  if (box && "caches" in window) {
    const save = document.getElementById("offline-save");
    const result = document.getElementById("offline-result");
    const videos = document.getElementById("offline-videos");
    const withVideos = document.getElementById("offline-with-videos");
    box.hidden = false;
    fetch(box.dataset.bundle, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
      const size = data.lessons.filter((l) => l.kind === "video" && l.file).reduce((s, l) => s + (l.file_size || 0), 0);
      if (size > 0) {
        videos.querySelector("span").textContent = videos.dataset.text.replace("%(size)s", megabytes(size));
        videos.hidden = false;
      }
    }).catch(() => {});
    save.addEventListener("click", async () => {
      save.disabled = true;
      result.hidden = true;
      try {
        const r = await fetch(box.dataset.bundle, { credentials: "same-origin" });
        if (!r.ok) throw new Error("bundle");
        const data = await r.clone().json();
        const cache = await caches.open(CACHE + data.course.id);
        await cache.put(box.dataset.bundle, r);
        await cache.add(box.dataset.reader);
        let bytes = 0;
        for (const l of data.lessons) {
          if (!l.file || (l.kind === "video" && !(withVideos && withVideos.checked))) continue;
          await cache.add(l.file);
          bytes += l.file_size || 0;
        }
        remember(data.course, box.dataset.reader);
        result.textContent = result.dataset.saved.replace("%(n)s", data.lessons.length).replace("%(size)s", megabytes(bytes));
        result.className = "message message-success";
      } catch (e) {
        result.textContent = result.dataset.failed;
        result.className = "message message-error";
      }
      result.hidden = false;
      save.disabled = false;
    });
  }

  // --- the offline page: study ----------------------------------------------------------------
  const reader = document.getElementById("reader");
  if (!reader) return;
  const t = reader.dataset;
  const LOCAL = CACHE + t.course + "-local";
  let bundle = null;
  let view = "list";

  function local() {
    try { return JSON.parse(localStorage.getItem(LOCAL) || "{}"); } catch (e) { return {}; }
  }
  function setLocal(v) {
    try { localStorage.setItem(LOCAL, JSON.stringify(v)); } catch (e) { /* */ }
  }
  function isDone(lesson) {
    return lesson.done || (local().done || []).includes(lesson.id);
  }
  function focusHeading(h) {
    h.setAttribute("tabindex", "-1");
    h.focus();
  }

  function list() {
    view = "list";
    reader.textContent = "";
    const ol = el("ol", { class: "lessons offline-lessons" });
    bundle.lessons.forEach((l, i) => {
      const li = el("li");
      const b = el("button", { type: "button", class: "button offline-lesson" }, l.title);
      b.addEventListener("click", () => lesson(i));
      li.appendChild(b);
      if (isDone(l)) li.appendChild(el("span", { class: "tag tag-ok" }, t.tDone));
      ol.appendChild(li);
    });
    const h = el("h2", {}, t.tLessons);
    reader.append(h, ol);
    const q = bundle.quiz;
    if (q && !q.passed && (q.attempts_left === null || q.attempts_left > 0)) {
      const b = el("button", { type: "button", class: "button button-primary" }, t.tQuiz);
      b.addEventListener("click", quiz);
      reader.appendChild(el("p", { class: "actions" })).appendChild(b);
      if (local().quizSent === q.attempt) reader.appendChild(el("p", { class: "muted" }, t.tAnswersQueued));
    } else if (q && q.passed) {
      reader.appendChild(el("p", {}, t.tPassed));
    }
  }

  function lesson(i) {
    const l = bundle.lessons[i];
    view = "lesson";
    reader.textContent = "";
    reader.appendChild(el("p", { class: "muted" }, t.tLessonOf.replace("%(i)s", i + 1).replace("%(n)s", bundle.lessons.length)));
    const h = el("h2", {}, l.title);
    reader.appendChild(h);
    const body = el("article", { class: "lesson-body" });
    body.innerHTML = l.body || ""; // sanitised by the server when the lesson was saved
    if (l.kind === "image" && l.file) body.appendChild(el("img", { src: l.file, alt: l.title, class: "lesson-image" }));
    if (l.kind === "video" && l.file) body.appendChild(el("video", { src: l.file, controls: "", preload: "metadata", class: "lesson-video" }));
    if (l.kind === "pdf" && l.file) body.appendChild(el("p")).appendChild(el("a", { class: "button", href: l.file }, t.tOpenFile));
    if (l.link) body.appendChild(el("p")).appendChild(el("a", { class: "button", href: l.link, rel: "noopener nofollow" }, t.tOpenLink));
    reader.appendChild(body);
    const actions = el("p", { class: "actions" });
    const back = el("button", { type: "button", class: "button" }, t.tBack);
    back.addEventListener("click", () => { list(); focusHeading(reader.querySelector("h2")); });
    const done = el("button", { type: "button", class: "button button-primary" }, isDone(l) ? t.tNext : t.tFinish);
    done.addEventListener("click", () => {
      if (!isDone(l)) {
        window.SuotDoiOutbox.add({ kind: "lesson", url: t.send, body: { kind: "lesson", lesson: l.id }, dedupe: "lesson:" + l.id });
        const s = local();
        s.done = (s.done || []).concat([l.id]);
        setLocal(s);
        window.SuotDoiOutbox.flush();
      }
      if (i + 1 < bundle.lessons.length) lesson(i + 1);
      else list();
      focusHeading(reader.querySelector("h2"));
    });
    actions.append(back, done);
    reader.appendChild(actions);
    if (!navigator.onLine && !isDone(l)) reader.appendChild(el("p", { class: "muted" }, t.tQueued));
  }

  function quiz() {
    const q = bundle.quiz;
    view = "quiz";
    reader.textContent = "";
    const h = el("h2", {}, t.tQuiz);
    const form = el("form", { class: "stacked quiz" });
    q.questions.forEach((question, n) => {
      const fs = el("fieldset", { class: "field" });
      fs.appendChild(el("legend", {}, (n + 1) + ". " + question.text));
      if (question.kind === "short") {
        const id = "oq" + question.id;
        fs.appendChild(el("label", { for: id, class: "visually-hidden" }, t.tYourAnswer));
        fs.appendChild(el("input", { type: "text", id, name: "q" + question.id, maxlength: "200", autocomplete: "off" }));
      } else {
        const type = question.kind === "multiple" ? "checkbox" : "radio";
        for (const [index, text] of question.choices) {
          const id = "oq" + question.id + "-" + index;
          const row = el("div", { class: "field-check" });
          row.appendChild(el("input", { type, id, name: "q" + question.id, value: String(index) }));
          row.appendChild(el("label", { for: id }, text));
          fs.appendChild(row);
        }
      }
      form.appendChild(fs);
    });
    form.appendChild(el("button", { type: "submit", class: "button button-primary" }, t.tSubmit));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const answers = {};
      for (const question of q.questions) {
        const name = "q" + question.id;
        if (question.kind === "short") answers[question.id] = form.elements[name].value;
        else if (question.kind === "multiple") answers[question.id] = Array.from(form.querySelectorAll(`input[name="${name}"]:checked`), (x) => Number(x.value));
        else {
          const c = form.querySelector(`input[name="${name}"]:checked`);
          answers[question.id] = c ? Number(c.value) : null;
        }
      }
      const key = window.SuotDoiOutbox.newKey();
      window.SuotDoiOutbox.add({ kind: "quiz", url: t.send, key, body: { kind: "quiz", attempt: q.attempt, answers }, dedupe: "quiz:" + t.course + ":" + q.attempt });
      const s = local();
      s.quizSent = q.attempt;
      setLocal(s);
      reader.textContent = "";
      const done = el("h2", {}, t.tQuiz);
      reader.append(done, el("p", { class: "message message-success", role: "status" }, t.tAnswersQueued));
      const back = el("button", { type: "button", class: "button" }, t.tBack);
      back.addEventListener("click", () => { list(); focusHeading(reader.querySelector("h2")); });
      reader.appendChild(el("p", { class: "actions" })).appendChild(back);
      focusHeading(done);
      window.SuotDoiOutbox.flush();
    });
    reader.append(h, form);
    focusHeading(h);
  }

  async function load() {
    try {
      const r = await fetch(t.bundle, { credentials: "same-origin" });
      if (!r.ok) throw new Error("bundle");
      bundle = await r.clone().json();
      if (navigator.onLine && "caches" in window && (await caches.has(CACHE + t.course))) {
        await (await caches.open(CACHE + t.course)).put(t.bundle, r); // the saved copy follows
      }
      if (view === "list") list();
    } catch (e) {
      reader.textContent = "";
      reader.appendChild(el("p", { class: "message message-warning" }, t.tMissing));
    }
  }
  // What the server answered may change the course (a lesson counted, the quiz marked).
  document.addEventListener("suotdoi:sent", load);
  load();
})();
