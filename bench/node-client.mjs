// The comparison client for bench/run: a bare node:http keep-alive client doing what the SDK's usage create does
// (serialize a report, POST /v0/usage, read and parse the answer), one caller, measured by process.cpuUsage().
// usage: node node-client.mjs URL N REPS WARMUP BOUND_SECONDS
import http from "node:http";
const [url, n = "5000", reps = "3", warmup = "2000", boundSeconds = "60"] = process.argv.slice(2);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const post = (i) => new Promise((resolve, reject) => {
  const body = JSON.stringify({ customerId: "cus_n1o2p3q4r5s6t7u8", merchantId: "org_demo", idempotencyKey: `node-${i}`,
    timestamp: new Date().toISOString(), properties: [{ billableMetricId: "bm_basicsub", quantity: 1 }] });
  const req = http.request({ host: target.hostname, port: target.port, path: "/v0/usage", method: "POST", agent,
    headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: "Bearer sk_bench" } }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => {
      if (res.statusCode !== 201) return reject(new Error(`status ${res.statusCode}`));
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
      resolve();
    });
  });
  req.on("error", reject);
  req.end(body);
});
const run = async (count, offset) => {
  const deadline = Date.now() + Number(boundSeconds) * 1000;
  const cpu = process.cpuUsage(), started = process.hrtime.bigint();
  let done = 0;
  for (; done < count && Date.now() < deadline; done++) await post(offset + done);
  const used = process.cpuUsage(cpu), wall = Number(process.hrtime.bigint() - started) / 1e9;
  return { done, cpuUs: (used.user + used.system) / done, perSecond: done / wall };
};
// Warm up by count, then for three more seconds, so V8's optimizing compiler has settled before measuring.
await run(Number(warmup), -1e9);
for (const until = Date.now() + 3000; Date.now() < until;) await run(500, -2e9);
for (let rep = 0; rep < Number(reps); rep++) {
  const r = await run(Number(n), rep * Number(n));
  console.log(`sample node_create_seq_cpu_us_per_event ${r.cpuUs.toFixed(3)}`);
  console.error(`node rep ${rep + 1}: ${r.done} events, ${r.cpuUs.toFixed(1)} us CPU/event, ${r.perSecond.toFixed(0)}/s`);
}
agent.destroy();
