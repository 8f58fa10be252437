// The tip-off form: "use my position" fills latitude and longitude from the phone's location (asked only on a
// tap; nothing is sent anywhere but this form). Without geolocation the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button || !navigator.geolocation) { return; }
  var status = document.querySelector("[data-locate-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
      status.textContent = button.getAttribute("data-located");
    }, function () {
      status.textContent = button.getAttribute("data-failed");
    }, {enableHighAccuracy: true, timeout: 15000});
  });
}());
