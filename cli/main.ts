#!/usr/bin/env node
import { ExitCode } from '../common/errors.js';
import { main } from './program.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = ExitCode.unexpected;
  },
);
