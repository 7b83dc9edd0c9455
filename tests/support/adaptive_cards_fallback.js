// Reads Adaptive Cards (a JSON list) from the file named first and parses each with the official
// Adaptive Cards SDK (npm "adaptivecards", the folder named second) as a client without
// Universal Actions does: Action.Execute unknown, so every such action is replaced by its
// fallback. Prints the parsed cards as a JSON list.
"use strict";
const fs = require("fs");
const path = require("path");
const AC = require(path.join(process.argv[3], "dist", "adaptivecards.js"));

const registry = new AC.CardObjectRegistry();
AC.GlobalRegistry.populateWithDefaultActions(registry);
registry.unregister("Action.Execute");

const results = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).map((json) => {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  context.setActionRegistry(registry);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  return card.toJSON();
});
process.stdout.write(JSON.stringify(results));
