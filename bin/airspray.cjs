#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(built)) {
  console.error('airspray: the app is not built yet: run "npm run build" first.');
  process.exit(1);
}
require(built);
