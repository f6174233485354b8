// The Lab's Web Worker starts here (src/ui/lab_client.rs names this file):
// the worker's wasm-bindgen glue, then its wasm. Written by hand rather than
// Trunk's loader shim, whose call form wasm-bindgen now warns about.
importScripts('./lab_worker.js');
wasm_bindgen({ module_or_path: './lab_worker_bg.wasm' });
