// Passkeys (WebAuthn) for the two-step sign-in: the server sends the options as JSON
// (py_webauthn's options_to_json), the browser creates or uses a passkey, and the answer goes
// back as JSON. Binary fields travel as base64url. No inline script: the page's
// Content-Security-Policy allows scripts from this site only.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) { return; }

  function toBytes(value) {
    var b64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }
  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: body ? JSON.stringify(body) : "{}"
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) { throw new Error(data.message || "Something went wrong."); }
        return data;
      });
    });
  }
  function descriptors(list) {
    return (list || []).map(function (c) { return { type: c.type, id: toBytes(c.id), transports: c.transports }; });
  }
  function show(el, message) { el.textContent = message; el.hidden = false; }

  var add = document.getElementById("passkey-add");
  if (add) {
    add.hidden = false;
    document.getElementById("passkey-add-button").addEventListener("click", function () {
      var error = document.getElementById("passkey-add-error");
      error.hidden = true;
      post(add.dataset.options).then(function (o) {
        o.challenge = toBytes(o.challenge);
        o.user.id = toBytes(o.user.id);
        o.excludeCredentials = descriptors(o.excludeCredentials);
        return navigator.credentials.create({ publicKey: o });
      }).then(function (cred) {
        var name = document.getElementById("passkey-name").value;
        var url = add.dataset.register + (add.dataset.register.indexOf("?") < 0 ? "?" : "&") + "name=" + encodeURIComponent(name);
        return post(url, {
          id: cred.id, rawId: toText(cred.rawId), type: cred.type,
          response: {
            clientDataJSON: toText(cred.response.clientDataJSON),
            attestationObject: toText(cred.response.attestationObject),
            transports: cred.response.getTransports ? cred.response.getTransports() : []
          },
          clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
        });
      }).then(function (done) { window.location.assign(done.next); })
        .catch(function (e) { show(error, "The passkey was not added: " + e.message); });
    });
  }

  var signIn = document.getElementById("passkey-sign-in");
  if (signIn) {
    signIn.hidden = false;
    document.getElementById("passkey-sign-in-button").addEventListener("click", function () {
      var error = document.getElementById("passkey-sign-in-error");
      error.hidden = true;
      post(signIn.dataset.options).then(function (o) {
        o.challenge = toBytes(o.challenge);
        o.allowCredentials = descriptors(o.allowCredentials);
        return navigator.credentials.get({ publicKey: o });
      }).then(function (cred) {
        return post(signIn.dataset.verify, {
          id: cred.id, rawId: toText(cred.rawId), type: cred.type,
          response: {
            clientDataJSON: toText(cred.response.clientDataJSON),
            authenticatorData: toText(cred.response.authenticatorData),
            signature: toText(cred.response.signature),
            userHandle: toText(cred.response.userHandle)
          },
          clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
        });
      }).then(function (done) { window.location.assign(done.next); })
        .catch(function (e) { show(error, "The passkey was not accepted: " + e.message); });
    });
  }
})();
