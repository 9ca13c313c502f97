/** A memory's state in a JSON file (the bytes of the main entry's `memoryToBytes`). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EngramError, ErrorCodes } from '@engram/core';
import type { CamelotMemory } from '../memory/camelot-memory.js';
import { memoryFromBytes, memoryToBytes } from '../memory/memory-serialization.js';

/** Writes the memory's state to a JSON file. */
export async function saveMemory(memory: CamelotMemory, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, memoryToBytes(memory));
}

/** Reads a memory saved by {@link saveMemory}. */
export async function loadMemory(path: string): Promise<CamelotMemory> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new EngramError(ErrorCodes.DATA_NOT_FOUND, `${path}: cannot read the memory state (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the path`, { source: path }, { cause: err });
  }
  return memoryFromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
