/** A published ONNX ranker loaded into onnxruntime-node (native: an I/O entry). */
export * from './onnx-ranker.js';
