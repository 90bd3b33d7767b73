// The reference application page of formmerge: consent, prefill, the merged application,
// checks in the browser, submit, and each department's payload. Plain JavaScript, no libraries.
"use strict";

(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const checks = page.checks;
  const $ = (id) => document.getElementById(id);
  const state = { schema: null, notice: null, prefill: null, subject: null, binding: {}, chosen: null };

  // ---------------------------------------------------------------- check digits

  const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const ID_CHECK = "10X98765432"; // ISO 7064 MOD 11-2, GB 11643
  const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

  function idCheckChar(first17) {
    let total = 0;
    for (let i = 0; i < 17; i += 1) total += Number(first17[i]) * ID_WEIGHTS[i];
    return ID_CHECK[total % 11];
  }

  function birthDateOk(text) {
    const y = Number(text.slice(0, 4));
    const m = Number(text.slice(4, 6));
    const d = Number(text.slice(6, 8));
    const born = new Date(Date.UTC(y, m - 1, d));
    if (born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d) {
      return false;
    }
    const now = new Date();
    const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    return y >= checks.earliest_birth_year && born.getTime() <= today;
  }

  function isCitizenId(value) {
    let text = String(value).normalize("NFKC").trim().toUpperCase();
    if (!/^[\x00-\x7f]*$/.test(text) || !checks.citizen_id_prefixes.includes(text.slice(0, 2))) {
      return false;
    }
    if (/^\d{15}$/.test(text)) {
      text = text.slice(0, 6) + "19" + text.slice(6);
      text += idCheckChar(text);
    }
    if (!/^\d{17}[0-9X]$/.test(text)) return false;
    if (text[17] !== idCheckChar(text.slice(0, 17))) return false;
    return birthDateOk(text.slice(6, 14));
  }

  function isCreditCode(value) {
    const text = String(value).normalize("NFKC").trim().toUpperCase();
    const chars = checks.uscc_charset;
    if (text.length !== 18 || [...text].some((c) => !chars.includes(c))) return false;
    if (!checks.uscc_authorities.includes(text[0]) || !/^\d{6}$/.test(text.slice(2, 8))) {
      return false;
    }
    let total = 0;
    for (let i = 0; i < 17; i += 1) total += chars.indexOf(text[i]) * USCC_WEIGHTS[i];
    return text[17] === chars[(31 - (total % 31)) % 31];
  }

  const FORMAT_CHECKS = {
    "citizen-id": [isCitizenId, "校验位不正确，请核对（GB 11643）"],
    uscc: [isCreditCode, "校验位不正确，请核对（GB 32100）"],
  };
  window.formmergeChecks = { isCitizenId, isCreditCode };

  // ---------------------------------------------------------------- requests

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    headers[page.header] = "1";
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(page.api + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = { detail: "服务返回了无法读取的内容" };
    }
    return { ok: response.ok, status: response.status, data };
  }

  function status(text) {
    $("status").textContent = text;
  }

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function displayValue(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "boolean") return value ? "是" : "否";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  // required booleans come as not: {not: {required}} (renderers answer them with false)
  function requiredOf(objectSchema) {
    const negated = (objectSchema.not && objectSchema.not.not && objectSchema.not.not.required) || [];
    return [...(objectSchema.required || []), ...negated];
  }

  function fieldInfo(fieldId) {
    return (state.prefill && state.prefill.values[fieldId]) || null;
  }

  // ---------------------------------------------------------------- step 1: consent

  function showNotice(notice) {
    const body = document.querySelector("#consent-list tbody");
    body.replaceChildren();
    for (const read of notice.reads) {
      body.append(
        el(
          "tr",
          { "data-item": read.item, "data-role": read.role },
          el("td", { text: read.label || read.item }),
          el("td", { text: page.roles[read.role] || read.role }),
          el("td", { text: read.departments.join("、") }),
        ),
      );
    }
  }

  function subjectProblem(value) {
    if (page.subject === "organization") {
      if (!value) return "请填写统一社会信用代码";
      return isCreditCode(value) ? "" : "统一社会信用代码" + FORMAT_CHECKS.uscc[1];
    }
    if (!value) return "请填写公民身份号码";
    return isCitizenId(value) ? "" : "公民身份号码" + FORMAT_CHECKS["citizen-id"][1];
  }

  // ---------------------------------------------------------------- who applies

  // The one question before consent: who the applicant is. The answer binds the applicant's
  // role to that parent for every later call, and the application is fetched again bound.
  function bindingQuery() {
    const role = state.binding[page.bound_role];
    return role ? "?as=" + encodeURIComponent(role) : "";
  }

  async function choose(role) {
    state.binding = role ? { [page.bound_role]: role } : {};
    $("who-error").textContent = "";
    delete document.documentElement.dataset.who;
    status("正在加载……");
    const request = api("GET", "/schema" + bindingQuery());
    state.chosen = request;
    const schema = await request;
    if (state.chosen !== request) return; // a later choice was made meanwhile
    if (!schema.ok) {
      $("who-error").textContent = problemText(schema.data);
      state.chosen = null;
      status("");
      return;
    }
    state.schema = schema.data;
    document.documentElement.dataset.who = role || "other";
    status("");
  }

  function whoProblem() {
    if (!page.applicant_choices.length) return "";
    return state.chosen ? "" : "请先选择您是谁";
  }

  async function start() {
    const subject = $("subject").value.trim().toUpperCase();
    const problem = subjectProblem(subject);
    const who = whoProblem();
    if (page.applicant_choices.length) $("who-error").textContent = who;
    $("subject-error").textContent = problem;
    $("consent-error").textContent = $("consent-check").checked ? "" : "请先阅读并勾选同意";
    if (who || problem || !$("consent-check").checked) return;
    if (state.chosen && !(await state.chosen).ok) return;
    status("正在读取信息……");
    const answer = await api("POST", "/prefill", {
      subject,
      purpose: page.purpose,
      consent: state.notice.id,
      binding: state.binding,
    });
    if (!answer.ok) {
      status("");
      $("subject-error").textContent = problemText(answer.data);
      return;
    }
    state.subject = subject;
    state.prefill = answer.data;
    for (const input of document.querySelectorAll("#who input")) input.disabled = true;
    renderApplication();
    $("subject").readOnly = true;
    $("start").disabled = true;
    $("application-step").hidden = false;
    const read = Object.keys(answer.data.values).length;
    status(`已预填 ${read} 项，请核对并填写其余 ${answer.data.to_type.length} 项。`);
  }

  // ---------------------------------------------------------------- step 2: the application

  function control(fieldId, prop, value, inputId) {
    const info = fieldInfo(fieldId);
    const locked = Boolean(prop.readOnly || (info && info.read_only));
    const given = value !== undefined && value !== null;
    if (prop.enum) {
      const select = el("select", { id: inputId, disabled: locked, "data-kind": "enum" });
      select.append(el("option", { value: "", text: "请选择" }));
      prop.enum.forEach((code, i) => {
        const label = (prop["x-enumNames"] || [])[i] || code;
        select.append(el("option", { value: code, text: label }));
      });
      if (given) {
        if (!prop.enum.includes(String(value))) {
          select.append(el("option", { value: String(value), text: String(value) }));
        }
        select.value = String(value);
      }
      return select;
    }
    if (prop.type === "boolean") {
      const group = el("span", { class: "choices", id: inputId, "data-kind": "boolean" });
      [
        ["true", "是"],
        ["false", "否"],
      ].forEach(([code, label]) => {
        const radio = el("input", {
          type: "radio",
          name: inputId,
          value: code,
          disabled: locked,
          checked: given && String(value) === code,
        });
        group.append(el("label", {}, radio, " " + label));
      });
      return group;
    }
    const type = prop.format === "date" && !locked ? "date" : "text";
    return el("input", {
      type,
      id: inputId,
      value: given ? displayValue(value) : "",
      readonly: locked,
      "aria-readonly": locked ? "true" : null,
      autocomplete: "off",
      "data-kind": prop.type,
    });
  }

  function provenance(fieldId) {
    const info = fieldInfo(fieldId);
    if (!info) return null;
    const where = info.department || info.source;
    const when = info.as_of ? `，${info.as_of}` : "";
    if (info.read_only) {
      return el(
        "p",
        { class: "provenance" },
        el("span", { class: "badge locked", text: "已核验" }),
        ` 来自${where}（${info.source}${when}），不可修改`,
      );
    }
    return el(
      "p",
      { class: "provenance" },
      el("span", { class: "badge check", text: "请核对" }),
      ` 来自${where}（${info.source}${when}）`,
    );
  }

  let inputCount = 0;

  function fieldBlock(fieldId, prop, required, value, path) {
    inputCount += 1;
    const inputId = `f${inputCount}`;
    const info = fieldInfo(fieldId);
    const locked = Boolean(prop.readOnly || (info && info.read_only));
    const isChoice = prop.type === "boolean" && !prop.enum;
    const label = el(
      isChoice ? "span" : "label",
      isChoice ? { class: "label" } : { for: inputId },
      prop.title || fieldId,
      required ? el("span", { class: "required", text: "*" }) : null,
    );
    return el(
      "div",
      {
        class: "field",
        "data-field": fieldId,
        "data-path": JSON.stringify(path),
        "data-required": required ? "true" : "false",
        "data-readonly": locked ? "true" : "false",
      },
      label,
      control(fieldId, prop, value, inputId),
      provenance(fieldId),
      el("p", { class: "error", role: "alert" }),
    );
  }

  function repeatRow(sectionKey, key, schema, row, index) {
    const items = schema.items;
    const required = requiredOf(items);
    const box = el("div", { class: "row", "data-row": String(index) });
    box.append(el("h4", { text: `第 ${index + 1} 行` }));
    const grid = el("div", { class: "grid" });
    for (const [fieldId, prop] of Object.entries(items.properties)) {
      const value = row ? row[fieldId] : undefined;
      grid.append(fieldBlock(fieldId, prop, required.includes(fieldId), value, [sectionKey, key, index, fieldId]));
    }
    box.append(grid);
    const prefilledRow = row && Object.keys(row).some((f) => fieldInfo(f) && fieldInfo(f).read_only);
    if (!prefilledRow) {
      box.append(
        el("button", { type: "button", class: "secondary remove-row", text: "删除本行", onclick: () => removeRow(box) }),
      );
    }
    return box;
  }

  function renumber(block) {
    const sectionKey = block.dataset.section;
    const key = block.dataset.key;
    block.querySelectorAll(".row").forEach((row, index) => {
      row.dataset.row = String(index);
      row.querySelector("h4").textContent = `第 ${index + 1} 行`;
      row.querySelectorAll(".field").forEach((field) => {
        field.dataset.path = JSON.stringify([sectionKey, key, index, field.dataset.field]);
      });
    });
  }

  function removeRow(row) {
    const block = row.closest(".repeat");
    row.remove();
    renumber(block);
  }

  function repeatBlock(sectionKey, key, schema, rows) {
    const block = el("div", { class: "repeat", "data-section": sectionKey, "data-key": key });
    block.append(el("h3", { text: schema.title || key }));
    const list = el("div", { class: "rows" });
    (rows || []).forEach((row, i) => list.append(repeatRow(sectionKey, key, schema, row, i)));
    block.append(list);
    block.append(
      el("button", {
        type: "button",
        class: "secondary add-row",
        text: "添加一行",
        onclick: () => {
          list.append(repeatRow(sectionKey, key, schema, null, list.children.length));
          renumber(block);
        },
      }),
    );
    return block;
  }

  function renderApplication() {
    const form = $("application");
    form.replaceChildren();
    const data = state.prefill.form_data || {};
    for (const [sectionKey, section] of Object.entries(state.schema.properties)) {
      const given = data[sectionKey] || {};
      const fieldset = el("fieldset", { "data-section": sectionKey }, el("legend", { text: section.title }));
      const grid = el("div", { class: "grid" });
      const required = requiredOf(section);
      for (const [key, prop] of Object.entries(section.properties)) {
        if (prop.type === "array" && prop.items && prop.items.type === "object") {
          fieldset.append(repeatBlock(sectionKey, key, prop, given[key]));
        } else {
          grid.append(fieldBlock(key, prop, required.includes(key), given[key], [sectionKey, key]));
        }
      }
      fieldset.insertBefore(grid, fieldset.children[1] || null);
      form.append(fieldset);
    }
  }

  // ---------------------------------------------------------------- checks

  function propFor(path) {
    const section = state.schema.properties[path[0]];
    if (path.length === 2) return section.properties[path[1]];
    return section.properties[path[1]].items.properties[path[3]];
  }

  function readField(block, prop) {
    if (prop.enum) {
      const value = block.querySelector("select").value;
      return value === "" ? undefined : value;
    }
    if (prop.type === "boolean") {
      const chosen = block.querySelector("input:checked");
      return chosen ? chosen.value === "true" : undefined;
    }
    const text = block.querySelector("input").value.trim();
    if (text === "") return undefined;
    if (prop.type === "number" || prop.type === "integer") {
      const number = Number(text);
      return Number.isNaN(number) ? text : number;
    }
    return text;
  }

  // a pattern the browser cannot compile is left to the server, which checks every pattern
  function matches(pattern, value) {
    try {
      return new RegExp(pattern, "u").test(value);
    } catch (error) {
      return true;
    }
  }

  function problemOf(prop, value, required) {
    const title = prop.title || "";
    if (value === undefined) {
      if (!required) return "";
      return prop.enum || prop.type === "boolean" ? `请选择${title}` : `请填写${title}`;
    }
    if (prop.type === "number" || prop.type === "integer") {
      if (typeof value !== "number") return `${title}应为数字`;
      if (prop.type === "integer" && !Number.isInteger(value)) return `${title}应为整数`;
      if (prop.minimum !== undefined && value < prop.minimum) return `${title}不能小于${prop.minimum}`;
      if (prop.maximum !== undefined && value > prop.maximum) return `${title}不能大于${prop.maximum}`;
      return "";
    }
    if (prop.enum && !prop.enum.includes(value)) return `${title}不是可选的值`;
    if (typeof value !== "string") return "";
    if (prop.minLength !== undefined && [...value].length < prop.minLength) {
      return `${title}至少${prop.minLength}个字`;
    }
    if (prop.maxLength !== undefined && [...value].length > prop.maxLength) {
      return `${title}不能超过${prop.maxLength}个字`;
    }
    if (prop.pattern && !matches(prop.pattern, value)) return `${title}格式不正确`;
    if (prop.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      return `${title}应为日期（年-月-日）`;
    }
    const check = FORMAT_CHECKS[prop.format];
    if (check && !check[0](value)) return `${title}${check[1]}`;
    return "";
  }

  function collect() {
    const answers = {};
    const problems = [];
    for (const block of document.querySelectorAll("#application .field")) {
      const path = JSON.parse(block.dataset.path);
      const prop = propFor(path);
      const value = readField(block, prop);
      const problem = problemOf(prop, value, block.dataset.required === "true");
      block.classList.toggle("invalid", Boolean(problem));
      block.querySelector(".error").textContent = problem;
      if (problem) problems.push(problem);
      answers[path[0]] = answers[path[0]] || {};
      if (path.length === 2) {
        if (value !== undefined) answers[path[0]][path[1]] = value;
      } else {
        const rows = (answers[path[0]][path[1]] = answers[path[0]][path[1]] || []);
        rows[path[2]] = rows[path[2]] || {};
        if (value !== undefined) rows[path[2]][path[3]] = value;
      }
    }
    return { answers, problems };
  }

  // ---------------------------------------------------------------- step 3: submit

  function problemText(data) {
    if (!data) return "请求失败";
    const messages = (data.problems || []).map((p) => p.message).filter(Boolean);
    return [data.detail || data.title || "请求失败", ...messages].join("；");
  }

  function showProblems(data) {
    const box = $("problems");
    box.replaceChildren(el("p", { class: "problem", text: `未能提交：${data.detail || data.title}（${data.code}）` }));
    const list = el("ul", { id: "problem-list" });
    for (const p of data.problems || []) {
      const where = p.location || {};
      const place = [where.form, where.field].filter(Boolean).join(" / ");
      list.append(el("li", { class: "problem", "data-code": p.code, "data-field": where.field || "" }, `${place}：${p.message}（${p.code}）`));
      const field = where.field && document.querySelector(`#application .field[data-field="${CSS.escape(where.field)}"]`);
      if (field) {
        field.classList.add("invalid");
        field.querySelector(".error").textContent = `${p.message}（${p.code}）`;
      }
    }
    box.append(list);
  }

  function showPayloads(data) {
    const forms = Object.fromEntries(page.forms.map((f) => [f.id, f]));
    const box = $("payloads");
    box.replaceChildren(el("p", { class: "ok", text: `已提交，分送 ${Object.keys(data.payloads).length} 个部门的表单：` }));
    for (const [formId, payload] of Object.entries(data.payloads)) {
      const form = forms[formId] || { title: formId, department: "" };
      const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: "字段" }), el("th", { text: "值" }))));
      const body = el("tbody");
      for (const [key, value] of Object.entries(payload)) {
        const shown =
          value !== null && typeof value === "object"
            ? el("pre", { text: JSON.stringify(value, null, 2) })
            : displayValue(value);
        body.append(el("tr", {}, el("td", { text: key }), el("td", {}, shown)));
      }
      table.append(body);
      box.append(
        el(
          "section",
          { class: "payload", "data-form": formId },
          el("h3", {}, form.title || formId, " ", el("span", { class: "department", text: form.department })),
          table,
        ),
      );
    }
    if (data.unanswered.length) {
      box.append(el("p", { class: "provenance", text: `未填写的可选项：${data.unanswered.length} 项` }));
    }
  }

  async function submit() {
    const { answers, problems } = collect();
    $("check-summary").textContent = problems.length ? `有 ${problems.length} 处需要修改，请查看标红的项目。` : "";
    if (problems.length) {
      status("");
      return;
    }
    status("正在提交……");
    const answer = await api("POST", "/submit", {
      subject: state.subject,
      purpose: page.purpose,
      consent: state.notice.id,
      binding: state.binding,
      answers,
    });
    $("result-step").hidden = false;
    $("problems").replaceChildren();
    $("payloads").replaceChildren();
    if (answer.ok) {
      showPayloads(answer.data);
      status("提交成功。");
    } else {
      showProblems(answer.data);
      status("提交未成功。");
    }
  }

  // ---------------------------------------------------------------- start

  async function load() {
    status("正在加载……");
    const [notice, schema] = await Promise.all([api("GET", "/consent"), api("GET", "/schema")]);
    if (!notice.ok || !schema.ok) {
      status("加载失败：" + problemText(notice.ok ? schema.data : notice.data));
      return;
    }
    state.notice = notice.data;
    state.schema = schema.data;
    showNotice(notice.data);
    for (const input of document.querySelectorAll("#who input")) {
      input.addEventListener("change", () => choose(input.value));
    }
    $("start").addEventListener("click", start);
    $("submit").addEventListener("click", submit);
    document.documentElement.dataset.ready = "true";
    status("");
  }

  load();
})();
