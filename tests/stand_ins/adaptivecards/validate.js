// Microsoft's Adaptive Cards parser, as a line-oriented service for tests/adaptive_cards.py.
//
// Each line on stdin is one JSON request; each answer is one JSON line on stdout:
//   {"cards": [card, ...]}      -> {"problems": [[problem, ...], ...]}  (one list per card)
//   {"markdown": [text, ...]}   -> {"html": [html, ...]}
//
// A card's problems are what the `adaptivecards` package reports (every
// SerializationContext event while parsing for version 1.5, every
// validateProperties() event) plus every property the parser did not keep: it
// ignores unknown or misspelt properties and values of a later version silently,
// so a card is also serialised back (toJSON) and compared with what was sent. An
// action's `fallback` is checked on its own (see withoutFallbacks).
//
// Markdown is rendered the way the package's own renderer does when markdown-it is
// present, with raw HTML and bare-URL links switched on so that nothing a Teams
// client might read goes unseen.
"use strict";

// lib/ is ES modules with extension-less imports, which Node cannot load: use the bundle.
const AC = require("adaptivecards/dist/adaptivecards.js");
const markdownit = require("markdown-it")({ html: true, linkify: true });
const readline = require("readline");

function parseEvents(context) {
    const events = [];
    for (let i = 0; i < context.eventCount; i++) {
        events.push(context.getEventAt(i));
    }
    return events;
}

function describe(kind, event) {
    return `${kind} ${AC.ValidationEvent[event.event]}: ${event.message}`;
}

function isObject(value) {
    return value !== null && typeof value === "object";
}

// Where `sent` has something `kept` lacks or changed, as "$.body[2].msteams: ..." lines.
function differences(sent, kept, path, found) {
    if (Array.isArray(sent)) {
        if (!Array.isArray(kept) || kept.length !== sent.length) {
            found.push(`${path}: sent ${sent.length} items, the parser kept ${
                Array.isArray(kept) ? kept.length : "none"}`);
            return found;
        }
        sent.forEach((item, i) => differences(item, kept[i], `${path}[${i}]`, found));
    } else if (isObject(sent)) {
        for (const key of Object.keys(sent)) {
            if (!isObject(kept) || !(key in kept)) {
                found.push(`${path}.${key}: not kept by the parser (unknown, misplaced or a default)`);
            } else {
                differences(sent[key], kept[key], `${path}.${key}`, found);
            }
        }
    } else if (sent !== kept) {
        found.push(`${path}: sent ${JSON.stringify(sent)}, the parser kept ${JSON.stringify(kept)}`);
    }
    return found;
}

// An action's `fallback` is what a client that lacks the action's type (Action.Execute,
// before Universal Actions) shows instead. The parser reads it only in that case and
// never writes it back, so each fallback is taken out of the card and checked on its
// own, as the one action of a card, at `path`.
function withoutFallbacks(node, path, fallbacks) {
    if (Array.isArray(node)) {
        return node.map((item, i) => withoutFallbacks(item, `${path}[${i}]`, fallbacks));
    }
    if (!isObject(node)) {
        return node;
    }
    const copy = {};
    for (const [key, value] of Object.entries(node)) {
        if (key === "fallback" && isObject(value) && String(node.type).startsWith("Action.")) {
            if (value.type === node.type) {
                fallbacks.push({ path, problem: `${path}.fallback: the same type, ${value.type}` });
            }
            fallbacks.push({ path: `${path}.fallback`, action: value });
        } else {
            copy[key] = withoutFallbacks(value, `${path}.${key}`, fallbacks);
        }
    }
    return copy;
}

function fallbackProblems(fallbacks) {
    const found = [];
    for (const fallback of fallbacks) {
        if (fallback.problem) {
            found.push(fallback.problem);
            continue;
        }
        const card = { type: "AdaptiveCard", version: "1.5", body: [
            { type: "ActionSet", actions: [fallback.action] }] };
        for (const problem of problems(card)) {
            found.push(`${fallback.path}: ${problem}`);
        }
    }
    return found;
}

function problems(sent) {
    const fallbacks = [];
    const json = withoutFallbacks(sent, "$", fallbacks);
    const card = new AC.AdaptiveCard();
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    card.parse(json, context);
    const found = parseEvents(context).map((event) => describe("parse", event));
    for (const event of card.validateProperties().validationEvents) {
        found.push(describe("validate", event));
    }
    const kept = card.toJSON(new AC.SerializationContext(AC.Versions.v1_5));
    return differences(json, kept, "$", found).concat(fallbackProblems(fallbacks));
}

function answer(request) {
    if (Array.isArray(request.cards)) {
        return { problems: request.cards.map(problems) };
    }
    if (Array.isArray(request.markdown)) {
        return { html: request.markdown.map((text) => markdownit.render(text)) };
    }
    return { error: "expected {\"cards\": [...]} or {\"markdown\": [...]}" };
}

readline.createInterface({ input: process.stdin, terminal: false }).on("line", (line) => {
    let reply;
    try {
        reply = answer(JSON.parse(line));
    } catch (error) {
        reply = { error: String((error && error.stack) || error) };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
});
