// Jest setupFiles entry. Jest compiles the tests' TypeScript itself, but a worker thread a test starts from .ts source
// (the SQLite writer, the projection thread) is a plain Node thread: production code passes it the require hook named
// by VERDICT_TS_REGISTER (libs/config/src/worker-script.ts), so name the repository's hook here.
'use strict';
process.env.VERDICT_TS_REGISTER = require.resolve('./ts-register.js');
