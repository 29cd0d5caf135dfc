// Drives a live Vellum node with ACL's official JavaScript client, @azure-rest/confidential-ledger
// 1.0.0, the way an ACL user would: identity fetch, TLS pinned to the identity certificate with a
// client certificate, writes, commit polling, receipts, paging, users and governance reads.
//
// Run by tests/Vellum.Node.Tests/Compatibility/AclJavaScriptClientTests.cs, which starts the node
// and checks what this script reports. The script prints exactly one JSON line on stdout (the
// result), and nothing else. Exit code 0 means every step ran; 1 means a step failed, and
// the JSON line then says which step and why.
//
// Usage: node acl-client.mjs --endpoint https://localhost:PORT --ledger-id ID
//          --cert ADMIN_CERT.pem --key ADMIN_KEY.pem --other-ca CA.pem
//          --user-cert NEW_USER_CERT.pem --user-key NEW_USER_KEY.pem --out DIR
//
// Two more modes share one ledger with another client (the .NET SDK, in
// tests/Vellum.Client.Tests/Compatibility/CrossClientTests.cs), each a half of a round trip:
//   --mode write --collection C --count N    appends N entries to C, waits until the last one is
//                                            committed, and reports their ids and contents;
//   --mode read --collection C --tx ID...    reads each entry, lists C with paginate(), and saves
//                                            each receipt in --out, for the other client to verify.
// Both take --endpoint, --ledger-id, --cert and --key as above.
// The identity fetch uses Node's default trust store; the caller adds the node's service
// certificate to it with NODE_EXTRA_CA_CERTS, standing in for the public PKI of ACL's identity service.

import { X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import ledgerModule, { getLedgerIdentity, isUnexpected, paginate } from "@azure-rest/confidential-ledger";

// The package is CommonJS with `exports.default`: from ESM the default import is the whole module.
const ConfidentialLedger = ledgerModule.default;

const { values: args } = parseArgs({
  options: {
    endpoint: { type: "string" },
    "ledger-id": { type: "string" },
    cert: { type: "string" },
    key: { type: "string" },
    "other-ca": { type: "string" },
    "user-cert": { type: "string" },
    "user-key": { type: "string" },
    out: { type: "string" },
    "paged-entries": { type: "string", default: "25" },
    mode: { type: "string", default: "full" },
    collection: { type: "string" },
    count: { type: "string", default: "3" },
    tx: { type: "string", multiple: true, default: [] },
  },
  strict: true,
});

const commitTimeoutMs = 30_000;
const pollIntervalMs = 20;
const result = { ok: false, step: "arguments", calls: [] };
let step = "arguments";

/**
 * Sends one request and records its status and whether the package's own isUnexpected() flags it.
 * By default a flagged response fails the step; `status` instead demands that exact status (for
 * the routes whose isUnexpected() 1.0.0 gets wrong), and `any` accepts whatever comes back.
 */
async function call(name, request, { status, any = false } = {}) {
  const response = await request;
  const unexpected = isUnexpected(response);
  const actual = Number(response.status);
  result.calls.push({ name, method: response.request.method, url: redact(response.request.url), status: actual, unexpected });
  const failed = any ? false : status === undefined ? unexpected : actual !== status;
  if (failed) {
    throw new Error(`${name}: ${response.request.method} ${response.request.url} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response;
}

function redact(url) {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls /status until Committed, within commitTimeoutMs; returns the states seen, deduplicated in order. */
async function waitCommitted(client, transactionId, name) {
  const states = [];
  const deadline = Date.now() + commitTimeoutMs;
  for (;;) {
    const response = await call(name, client.path("/app/transactions/{transactionId}/status", transactionId).get());
    const state = response.body.state;
    if (states[states.length - 1] !== state) {
      states.push(state);
    }
    if (state === "Committed") {
      return states;
    }
    if (state !== "Pending") {
      throw new Error(`${transactionId} has state ${state}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${transactionId} was not committed within ${commitTimeoutMs} ms`);
    }
    await delay(pollIntervalMs);
  }
}

/** A request through a client that must be refused by TLS verification; returns the error code. */
async function tlsRefusal(endpoint, ca, tlsExtra) {
  const client = ConfidentialLedger(endpoint, ca, { tlsOptions: { cert: adminCert, key: adminKey, ...tlsExtra }, retryOptions: { maxRetries: 0 } });
  try {
    const response = await client.path("/app/governance/constitution").get();
    return `no error: status ${response.status}`;
  } catch (error) {
    return error.code ?? error.cause?.code ?? String(error);
  }
}

async function identityAndPinning(endpoint) {
  step = "identity";
  const identity = await getLedgerIdentity(args["ledger-id"], endpoint);
  result.identity = {
    ledgerId: identity.ledgerId,
    certificateFingerprint: new X509Certificate(identity.ledgerIdentityCertificate).fingerprint256,
  };

  // Verification is on: a different CA, or a host name the node certificate does not name, is refused.
  step = "pinning";
  result.pinning = {
    otherCaError: await tlsRefusal(endpoint, readFileSync(args["other-ca"], "utf8"), {}),
    otherHostError: await tlsRefusal(endpoint, identity.ledgerIdentityCertificate, { servername: "not-this-ledger.example" }),
  };
  return identity;
}

async function writeReadAndReceipt(client, outDirectory) {
  step = "write";
  const collectionId = "compat-js";
  const contents = `written by @azure-rest/confidential-ledger 1.0.0 at ${new Date().toISOString()}`;
  const posted = await call("postEntry", client.path("/app/transactions").post({ queryParameters: { collectionId }, body: { contents } }));
  const transactionId = posted.headers["x-ms-ccf-transaction-id"];
  const statusStates = await waitCommitted(client, transactionId, "status");

  step = "receipt";
  const receipt = await call("receipt", client.path("/app/transactions/{transactionId}/receipt", transactionId).get());
  const receiptFile = join(outDirectory, "receipt.json");
  writeFileSync(receiptFile, JSON.stringify(receipt.body));

  step = "read";
  const entry = await call("getEntry", client.path("/app/transactions/{transactionId}", transactionId).get({ queryParameters: { collectionId } }));
  const current = await call("current", client.path("/app/transactions/current").get({ queryParameters: { collectionId } }));
  result.write = {
    transactionId,
    contents,
    postedCollectionId: posted.body.collectionId,
    statusStates,
    receiptState: receipt.body.state,
    receiptTransactionId: receipt.body.transactionId,
    receiptFile,
    entryState: entry.body.state,
    entry: entry.body.entry,
    current: current.body,
  };
}

async function paging(client, requestUrls) {
  step = "paging";
  const collectionId = "compat-js-paged";
  const count = Number(args["paged-entries"]);
  const posted = [];
  for (let i = 0; i < count; i++) {
    const contents = `paged entry ${String(i).padStart(2, "0")}`;
    const response = await call("postPaged", client.path("/app/transactions").post({ queryParameters: { collectionId }, body: { contents } }));
    posted.push({ transactionId: response.headers["x-ms-ccf-transaction-id"], contents });
  }
  // The range query serves committed entries only, and commit is in order: the last one suffices.
  await waitCommitted(client, posted[posted.length - 1].transactionId, "statusPaged");

  requestUrls.length = 0;
  const first = await call("listFirstPage", client.path("/app/transactions").get({ queryParameters: { collectionId } }));
  const pageSizes = [];
  const received = [];
  for await (const page of paginate(client, first).byPage()) {
    pageSizes.push(page.length);
    received.push(...page.map((entry) => ({ transactionId: entry.transactionId, contents: entry.contents, collectionId: entry.collectionId })));
  }
  result.paging = {
    posted,
    received,
    pageSizes,
    // Every listing request as sent, to show the api-version JS 1.0.0 appends again to nextLink.
    listUrls: requestUrls.filter((url) => new URL(url).pathname === "/app/transactions").map(redact),
  };
}

async function users(endpoint, identityCertificate, client) {
  step = "users";
  const userCertificate = readFileSync(args["user-cert"], "utf8");
  // Node prints SHA-256 fingerprints in ACL's user id form: uppercase hex pairs joined by colons.
  const userId = new X509Certificate(userCertificate).fingerprint256;
  const asUser = ConfidentialLedger(endpoint, identityCertificate, { tlsOptions: { cert: userCertificate, key: readFileSync(args["user-key"], "utf8") } });
  const readAsUser = async (name) =>
    Number((await call(name, asUser.path("/app/transactions/current").get({ queryParameters: { collectionId: "compat-js" } }), { any: true })).status);

  const statusBefore = await readAsUser("readAsUserBeforeAdd");
  // isUnexpected() 1.0.0 matches a templated path without its method, so PATCH and GET on
  // /app/users/{userId} take DELETE's ["204"] and their documented 200 is flagged, against real
  // ACL too: these two calls demand 200 themselves and only record what the package says.
  const patched = await call(
    "patchUser",
    client.path("/app/users/{userId}", userId).patch({ contentType: "application/merge-patch+json", body: { assignedRole: "Reader" } }),
    { status: 200 },
  );
  const readStatus = await readAsUser("readAsUserAfterAdd");
  const fetched = await call("getUser", client.path("/app/users/{userId}", userId).get(), { status: 200 });
  const deleted = await call("deleteUser", client.path("/app/users/{userId}", userId).delete());
  const afterDelete = await call("getUserAfterDelete", client.path("/app/users/{userId}", userId).get(), { any: true });
  result.users = {
    userId,
    statusBeforeAdd: statusBefore,
    patched: patched.body,
    readStatusAsUser: readStatus,
    fetched: fetched.body,
    deleteStatus: Number(deleted.status),
    deleteBody: deleted.bodyAsText ?? null,
    statusAfterDelete: Number(afterDelete.status),
    errorCodeAfterDelete: afterDelete.body?.error?.code ?? null,
    readStatusAsUserAfterDelete: await readAsUser("readAsUserAfterDelete"),
  };
}

async function governance(client) {
  step = "governance";
  const constitution = await call("constitution", client.path("/app/governance/constitution").get());
  const members = await call("members", client.path("/app/governance/members").get());
  const quotes = await call("enclaveQuotes", client.path("/app/enclaveQuotes").get());
  result.governance = {
    constitutionDigest: constitution.body.digest,
    constitutionHasScript: typeof constitution.body.script === "string" && constitution.body.script.length > 0,
    members: members.body.members,
    currentNodeId: quotes.body.currentNodeId,
    quoteNodeIds: Object.keys(quotes.body.enclaveQuotes ?? {}),
  };
}

/** The write half of a round trip: entries another client is to read. */
async function crossWrite(client) {
  step = "crossWrite";
  const collectionId = args.collection;
  const entries = [];
  for (let i = 0; i < Number(args.count); i++) {
    const contents = `written by the JavaScript client, entry ${i}`;
    const posted = await call("crossPost", client.path("/app/transactions").post({ queryParameters: { collectionId }, body: { contents } }));
    entries.push({ transactionId: posted.headers["x-ms-ccf-transaction-id"], contents });
  }
  // Commit is in order: once the last entry is committed, every one is.
  await waitCommitted(client, entries[entries.length - 1].transactionId, "crossStatus");
  result.crossWrite = { collectionId, entries };
}

/** Gets one entry, polling while the node answers Loading, within commitTimeoutMs. */
async function readEntry(client, transactionId, collectionId) {
  const deadline = Date.now() + commitTimeoutMs;
  for (;;) {
    const response = await call("crossGet", client.path("/app/transactions/{transactionId}", transactionId).get({ queryParameters: { collectionId } }));
    if (response.body.state === "Ready") {
      return response.body.entry;
    }
    if (Date.now() > deadline) {
      throw new Error(`${transactionId} stayed ${response.body.state} for ${commitTimeoutMs} ms`);
    }
    await delay(pollIntervalMs);
  }
}

/** The read half of a round trip: entries another client wrote, their listing and their receipts. */
async function crossRead(client) {
  step = "crossRead";
  const collectionId = args.collection;
  const entries = [];
  const receiptFiles = [];
  for (const transactionId of args.tx) {
    entries.push(await readEntry(client, transactionId, collectionId));
    const receipt = await call("crossReceipt", client.path("/app/transactions/{transactionId}/receipt", transactionId).get());
    const receiptFile = join(args.out, `receipt-${transactionId}.json`);
    writeFileSync(receiptFile, JSON.stringify(receipt.body));
    receiptFiles.push(receiptFile);
  }
  const first = await call("crossList", client.path("/app/transactions").get({ queryParameters: { collectionId } }));
  const listed = [];
  for await (const page of paginate(client, first).byPage()) {
    listed.push(...page.map((entry) => ({ transactionId: entry.transactionId, contents: entry.contents, collectionId: entry.collectionId })));
  }
  result.crossRead = { collectionId, entries, listed, receiptFiles };
}

const modeArguments = {
  full: ["endpoint", "ledger-id", "cert", "key", "other-ca", "user-cert", "user-key", "out"],
  write: ["endpoint", "ledger-id", "cert", "key", "collection"],
  read: ["endpoint", "ledger-id", "cert", "key", "collection", "out"],
};

let adminCert;
let adminKey;

try {
  if (!(args.mode in modeArguments)) {
    throw new Error(`--mode ${args.mode} is not one of ${Object.keys(modeArguments).join(", ")}`);
  }
  const missing = modeArguments[args.mode].filter((name) => args[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`missing --${missing.join(", --")}`);
  }
  adminCert = readFileSync(args.cert, "utf8");
  adminKey = readFileSync(args.key, "utf8");
  const endpoint = args.endpoint;
  if (args.mode !== "full") {
    step = "identity";
    const identity = await getLedgerIdentity(args["ledger-id"], endpoint);
    const client = ConfidentialLedger(endpoint, identity.ledgerIdentityCertificate, { tlsOptions: { cert: adminCert, key: adminKey } });
    await (args.mode === "write" ? crossWrite(client) : crossRead(client));
  } else {
    await fullRun(endpoint);
  }
  result.ok = true;
  result.step = "done";
} catch (error) {
  result.step = step;
  result.error = error?.stack ?? String(error);
  process.exitCode = 1;
}

process.stdout.write(JSON.stringify(result) + "\n");

/** Every step of the compatibility run (the default mode). */
async function fullRun(endpoint) {
  const identity = await identityAndPinning(endpoint);
  const requestUrls = [];
  const recorder = { name: "recordRequestUrls", sendRequest: (request, next) => (requestUrls.push(request.url), next(request)) };
  const client = ConfidentialLedger(endpoint, identity.ledgerIdentityCertificate, {
    tlsOptions: { cert: adminCert, key: adminKey },
    additionalPolicies: [{ policy: recorder, position: "perRetry" }],
  });
  await writeReadAndReceipt(client, args.out);
  await paging(client, requestUrls);
  await users(endpoint, identity.ledgerIdentityCertificate, client);
  await governance(client);
}
