/*
 * Passkeys (templates/accounts/passkey_ceremony.html): the button asks the browser to create
 * or use a passkey for the options the page carries, then posts the browser's answer to the
 * same page, where the server checks it (accounts/passkeys.py). Binary values travel as
 * base64url text, as py_webauthn reads them.
 */
(function () {
  "use strict";
  var form = document.getElementById("passkey-form");
  var optionsElement = document.getElementById("passkey-options");
  if (!form || !optionsElement) {
    return;
  }
  var button = form.querySelector("[data-passkey-button]");
  var status = document.getElementById("passkey-status");
  var options = JSON.parse(optionsElement.textContent);
  var creating = form.dataset.ceremony === "create";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    return Uint8Array.from(window.atob(base64), function (character) {
      return character.charCodeAt(0);
    });
  }

  function toText(buffer) {
    var binary = "";
    new Uint8Array(buffer).forEach(function (byte) {
      binary += String.fromCharCode(byte);
    });
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBytes(list) {
    return (list || []).map(function (credential) {
      return Object.assign({}, credential, { id: toBytes(credential.id) });
    });
  }

  function publicKey() {
    var request = Object.assign({}, options, { challenge: toBytes(options.challenge) });
    if (creating) {
      request.user = Object.assign({}, options.user, { id: toBytes(options.user.id) });
      request.excludeCredentials = withBytes(options.excludeCredentials);
    } else {
      request.allowCredentials = withBytes(options.allowCredentials);
    }
    return request;
  }

  function answer(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (creating) {
      json.response.attestationObject = toText(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      if (response.userHandle) {
        json.response.userHandle = toText(response.userHandle);
      }
    }
    return JSON.stringify(json);
  }

  if (!window.PublicKeyCredential || !navigator.credentials) {
    status.textContent = "This browser can't use passkeys. Please use a code instead, or another browser.";
    button.disabled = true;
    return;
  }

  button.addEventListener("click", function () {
    status.textContent = "Waiting for your passkey…";
    button.disabled = true;
    var ceremony = creating
      ? navigator.credentials.create({ publicKey: publicKey() })
      : navigator.credentials.get({ publicKey: publicKey() });
    ceremony
      .then(function (credential) {
        form.elements.credential.value = answer(credential);
        form.submit();
      })
      .catch(function () {
        status.textContent =
          "The passkey wasn't used: it was cancelled, timed out, or isn't on this device. You can try again.";
        button.disabled = false;
      });
  });
})();
