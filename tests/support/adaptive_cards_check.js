// Reads Adaptive Cards (a JSON list) from the file named first and checks each with the official
// Adaptive Cards SDK (npm "adaptivecards", the folder named second) as a Teams client would:
// parsed as version 1.5, with Teams' limit of six actions per action set. Prints one JSON list
// per card: the SDK's parse and validation messages, and every property of ours that the SDK
// dropped on a round trip (so it does not know it in 1.5, e.g. a misspelt or newer property).
"use strict";
const fs = require("fs");
const path = require("path");
const AC = require(path.join(process.argv[3], "dist", "adaptivecards.js"));

const hostConfig = new AC.HostConfig({ actions: { maxActions: 6 } });

function dropped(ours, theirs, where, out) {
  if (Array.isArray(ours)) {
    ours.forEach((item, i) => dropped(item, (theirs || [])[i], `${where}[${i}]`, out));
  } else if (ours !== null && typeof ours === "object") {
    for (const key of Object.keys(ours)) {
      if (theirs === null || typeof theirs !== "object" || !(key in theirs)) {
        out.push(`dropped ${where}.${key}`);
      } else {
        dropped(ours[key], theirs[key], `${where}.${key}`, out);
      }
    }
  } else if (String(ours).toLowerCase() !== String(theirs).toLowerCase()) {
    out.push(`changed ${where}: ${ours} -> ${theirs}`);
  }
}

const results = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).map((json) => {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  card.parse(json, context);
  const found = [];
  for (let i = 0; i < context.eventCount; i++) found.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) found.push(`validate: ${event.message}`);
  dropped(json, card.toJSON(), "", found);
  return found;
});
process.stdout.write(JSON.stringify(results));
