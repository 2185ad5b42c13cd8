// 通行密钥 (WebAuthn) in the member portal: the sign-in page's button and the passkeys page's
// "add" form (views_passkeys.py). The server makes the options and checks the answers; this file
// only turns base64url into bytes and back around navigator.credentials. Without WebAuthn (an old
// browser, plain http on a LAN address) both stay hidden and the password sign-in is unchanged.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) return;

  function toBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }

  function toText(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) { return Object.assign({}, d, {id: toBytes(d.id)}); });
  }

  // What navigator.credentials answered, as the JSON py_webauthn reads.
  function credentialJSON(cred) {
    var r = cred.response, response = {clientDataJSON: toText(r.clientDataJSON)};
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      response.userHandle = toText(r.userHandle);
    }
    return JSON.stringify({id: cred.id, rawId: toText(cred.rawId), type: cred.type, response: response,
                           clientExtensionResults: cred.getClientExtensionResults(),
                           authenticatorAttachment: cred.authenticatorAttachment || undefined});
  }

  function csrfToken() {
    var input = document.querySelector('[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  // POST form fields; resolve to the JSON answer, reject with the server's Chinese message.
  function post(url, fields) {
    var body = new URLSearchParams(fields);
    body.set("csrfmiddlewaretoken", csrfToken());
    return fetch(url, {method: "POST", body: body, credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}})
      .then(function (response) {
        return response.json().catch(function () { return {error: "服务器暂时无法处理，请稍后再试。"}; })
          .then(function (data) {
            if (!response.ok) throw new Error(data.error || "操作未成功，请稍后再试。");
            return data;
          });
      });
  }

  function browserMessage(error) {
    if (error && error.name === "NotAllowedError") return "已取消，或未在设备上完成验证。";
    if (error && error.name === "InvalidStateError") return "这台设备上已有您的通行密钥，无需重复添加。";
    if (error && error.name === "SecurityError") return "本网址不能使用通行密钥，请使用密码登录。";
    if (error && error.name && error.name !== "Error") return "通行密钥操作未成功，请重试或使用密码登录。";
    return (error && error.message) || "通行密钥操作未成功，请重试或使用密码登录。";
  }

  function showError(box, text) {
    box.textContent = text;
    box.hidden = !text;
    if (text) {
      box.setAttribute("tabindex", "-1");
      box.focus();
    }
  }

  // The sign-in page: no ID number is typed; the browser offers this site's passkeys.
  var signIn = document.querySelector("[data-passkey-sign-in]");
  if (signIn) {
    var signInButton = signIn.querySelector("button"), signInError = signIn.querySelector("[data-passkey-error]");
    signIn.hidden = false;
    signInButton.addEventListener("click", function () {
      signInButton.disabled = true;
      showError(signInError, "");
      post(signIn.dataset.optionsUrl, {})
        .then(function (options) {
          options.challenge = toBytes(options.challenge);
          options.allowCredentials = descriptors(options.allowCredentials);
          return navigator.credentials.get({publicKey: options});
        })
        .then(function (cred) { return post(signIn.dataset.url, {credential: credentialJSON(cred), next: signIn.dataset.next}); })
        .then(function (data) { window.location.assign(data.redirect); })
        .catch(function (error) { showError(signInError, browserMessage(error)); signInButton.disabled = false; });
    });
  }

  // The passkeys page: name and password first (step 1 checks them), then the device makes the key.
  var register = document.querySelector("[data-passkey-register]");
  if (register) {
    var unsupported = document.querySelector("[data-passkey-unsupported]");
    var registerError = register.querySelector("[data-passkey-error]");
    var registerButton = register.querySelector('button[type="submit"]');
    if (unsupported) unsupported.hidden = true;
    register.hidden = false;
    register.addEventListener("submit", function (event) {
      event.preventDefault();
      registerButton.disabled = true;
      showError(registerError, "");
      post(register.action, {name: register.elements.name.value, password: register.elements.password.value})
        .then(function (options) {
          options.challenge = toBytes(options.challenge);
          options.user.id = toBytes(options.user.id);
          options.excludeCredentials = descriptors(options.excludeCredentials);
          return navigator.credentials.create({publicKey: options});
        })
        .then(function (cred) { return post(register.dataset.finishUrl, {credential: credentialJSON(cred)}); })
        .then(function (data) { window.location.assign(data.redirect); })
        .catch(function (error) {
          register.elements.password.value = "";
          showError(registerError, browserMessage(error));
          registerButton.disabled = false;
        });
    });
  }
})();
