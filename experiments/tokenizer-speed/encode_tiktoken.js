#!/usr/bin/env node
// The encode-speed peer of experiments/tokenizer-speed/run.sh: tiktoken's Rust core from Node.
//   node encode_tiktoken.js ENCODING INPUT_FILE OUT_IDS_FILE [ENGINE]
// Reads INPUT_FILE whole as UTF-8, encodes it in one thread with ENCODING (cl100k_base,
// o200k_base, r50k_base, p50k_base, gpt2), every special-token string treated as plain text
// where the engine allows it, and prints one line:
//   engine=E encoding=N bytes=B tokens=T seconds=S MB/s=R
// seconds is the best of 3 encodes (load and file reading excluded); MB is 10^6 bytes.
// Writes the ids as little-endian uint32 to OUT_IDS_FILE.
// ENGINE (or $TIKTOKEN_ENGINE): anysphere (@anysphere/tiktoken-node, native; cl100k/o200k only),
// tiktoken-rs (tiktoken-rs-node-linux-x64-gnu, native, tiktoken-rs 0.6.0; its encode always
// recognises special tokens), wasm (npm tiktoken, dqbd's WASM build, encode_ordinary).
// Default: the first of these that supports ENCODING. Vocabularies are embedded in each package.
'use strict'
const fs = require('fs')
const os = require('os')

const RUNS = 3

function usage(message) {
  if (message) console.error(`encode_tiktoken.js: ${message}`)
  console.error('usage: node encode_tiktoken.js ENCODING INPUT_FILE OUT_IDS_FILE [anysphere|tiktoken-rs|wasm]')
  process.exit(2)
}

const engines = {
  anysphere(encoding) {
    const t = require('@anysphere/tiktoken-node')
    const which = { cl100k_base: t.SupportedEncoding.Cl100k, o200k_base: t.SupportedEncoding.O200k }[encoding]
    if (which === undefined) return null
    const tokenizer = t.getTokenizer()
    // Runs on one libuv worker thread; resolves to a JS array of numbers.
    return async (text) => Uint32Array.from(await tokenizer.encode(text, which, t.SpecialTokenAction.NormalText, {}))
  },
  'tiktoken-rs'(encoding) {
    const m = require('tiktoken-rs-node-linux-x64-gnu')
    let enc
    try {
      enc = m.getEncoding(encoding)
    } catch {
      return null
    }
    return async (text) => enc.encode(text)
  },
  wasm(encoding) {
    const { get_encoding } = require('tiktoken')
    let enc
    try {
      enc = get_encoding(encoding)
    } catch {
      return null
    }
    return async (text) => enc.encode_ordinary(text)
  },
}

async function main() {
  const [encoding, input, output, engineArg] = process.argv.slice(2)
  if (!encoding || !input || !output) usage()
  const wanted = engineArg || process.env.TIKTOKEN_ENGINE
  if (wanted && !(wanted in engines)) usage(`unknown engine '${wanted}'`)

  let name
  let encode
  for (const candidate of wanted ? [wanted] : Object.keys(engines)) {
    try {
      encode = engines[candidate](encoding)
    } catch (error) {
      if (wanted) throw error
      encode = null // package missing or failing to load: try the next one
    }
    if (encode) {
      name = candidate
      break
    }
  }
  if (!encode) usage(`no engine${wanted ? ` '${wanted}'` : ''} supports encoding '${encoding}'`)

  const text = fs.readFileSync(input, 'utf8')
  const bytes = Buffer.byteLength(text, 'utf8')
  await encode('warm up') // first-call setup (lazy vocabulary and regex builds) is load time

  let best = Infinity
  let ids
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint()
    const result = await encode(text)
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    if (ids && (result.length !== ids.length || !result.every((id, i) => id === ids[i]))) {
      throw new Error(`run ${run + 1} gave different ids from run 1`)
    }
    ids = result
    best = Math.min(best, seconds)
  }

  const out = Buffer.alloc(ids.length * 4)
  if (os.endianness() === 'LE') {
    Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength).copy(out)
  } else {
    ids.forEach((id, i) => out.writeUInt32LE(id, i * 4))
  }
  fs.writeFileSync(output, out)
  console.log(
    `engine=${name} encoding=${encoding} bytes=${bytes} tokens=${ids.length} ` +
      `seconds=${best.toFixed(6)} MB/s=${(bytes / 1e6 / best).toFixed(2)}`,
  )
}

main().catch((error) => {
  console.error(`encode_tiktoken.js: ${error.message}`)
  process.exit(1)
})
