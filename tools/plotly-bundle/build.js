const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
esbuild.build({
  entryPoints: ['entry.js'], outfile: '../../assets/plotly-timeline.min.js', format: 'iife', globalName: 'Plotly',
  bundle: true, minify: true, legalComments: 'none',
  plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
  alias: { stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false' }, target: 'es2016', logLevel: 'info',
  banner: { js: '/**\n* plotly.js v4.1.1 (core + bar + scattergeo), built for timeline\n* Copyright 2012-2026, Plotly, Inc. All rights reserved. Licensed under the MIT license\n*/' },
}).catch(() => process.exit(1));
