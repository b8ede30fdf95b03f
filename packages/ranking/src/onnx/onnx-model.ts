import { ProtoWriter } from './protobuf-writer.js';

/**
 * A plain description of an ONNX model and its protobuf encoding (field numbers from onnx/onnx.proto).
 * Covers what the project's rankers need: tensor inputs/outputs with symbolic or fixed dims, float/int64
 * initializers, nodes with scalar and list attributes, opset imports and metadata.
 */

/** TensorProto.DataType values used here. */
export const OnnxDataType = {
  Float: 1,
  Int64: 7,
  Double: 11,
} as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

export const ONNX_IR_VERSION = 8;
export const OPSET_ONNX = { domain: '', version: 17 } as const;
export const OPSET_ONNX_ML = { domain: 'ai.onnx.ml', version: 3 } as const;

/** AttributeProto.AttributeType values. */
const AttributeType = { Float: 1, Int: 2, String: 3, Tensor: 4, Floats: 6, Ints: 7, Strings: 8 } as const;

export type AttributeValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'floats'; readonly value: ArrayLike<number> }
  | { readonly kind: 'ints'; readonly value: ArrayLike<number> }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'tensor'; readonly value: TensorSpec };

/** Attribute value constructors: `attribute.floats([...])`. */
export const attribute = {
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  floats: (value: ArrayLike<number>): AttributeValue => ({ kind: 'floats', value }),
  ints: (value: ArrayLike<number>): AttributeValue => ({ kind: 'ints', value }),
  strings: (value: readonly string[]): AttributeValue => ({ kind: 'strings', value }),
  tensor: (value: TensorSpec): AttributeValue => ({ kind: 'tensor', value }),
} as const;

export interface TensorSpec {
  readonly name: string;
  readonly dataType: typeof OnnxDataType.Float | typeof OnnxDataType.Int64;
  readonly dims: readonly number[];
  /** Row-major values; float32 or int64 (as safe integers) per `dataType`. */
  readonly values: ArrayLike<number>;
}

/** A dimension: a fixed size, or a symbolic name such as 'N' for the batch. */
export type Dimension = number | string;

export interface ValueInfoSpec {
  readonly name: string;
  readonly elementType: OnnxDataType;
  readonly dims: readonly Dimension[];
  readonly doc?: string;
}

export interface NodeSpec {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** '' (ai.onnx) unless given, e.g. 'ai.onnx.ml'. */
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface GraphSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  readonly inputs: readonly ValueInfoSpec[];
  readonly outputs: readonly ValueInfoSpec[];
  readonly initializers?: readonly TensorSpec[];
  readonly doc?: string;
}

export interface OpsetSpec {
  readonly domain: string;
  readonly version: number;
}

export interface ModelSpec {
  readonly graph: GraphSpec;
  readonly opsets: readonly OpsetSpec[];
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly doc?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Serialises a model to ONNX ModelProto bytes. */
export function encodeOnnxModel(model: ModelSpec): Uint8Array {
  const writer = new ProtoWriter().int(1, ONNX_IR_VERSION);
  if (model.producerName !== undefined) writer.string(2, model.producerName);
  if (model.producerVersion !== undefined) writer.string(3, model.producerVersion);
  if (model.doc !== undefined) writer.string(6, model.doc);
  writer.message(7, (graph) => writeGraph(graph, model.graph));
  for (const opset of model.opsets) writer.message(8, (entry) => entry.string(1, opset.domain).int(2, opset.version));
  for (const [key, value] of Object.entries(model.metadata ?? {})) writer.message(14, (entry) => entry.string(1, key).string(2, value));
  return writer.finish();
}

function writeGraph(writer: ProtoWriter, graph: GraphSpec): void {
  for (const node of graph.nodes) writer.message(1, (inner) => writeNode(inner, node));
  writer.string(2, graph.name);
  for (const tensor of graph.initializers ?? []) writer.message(5, (inner) => writeTensor(inner, tensor));
  if (graph.doc !== undefined) writer.string(10, graph.doc);
  for (const input of graph.inputs) writer.message(11, (inner) => writeValueInfo(inner, input));
  for (const output of graph.outputs) writer.message(12, (inner) => writeValueInfo(inner, output));
}

function writeNode(writer: ProtoWriter, node: NodeSpec): void {
  for (const input of node.inputs) writer.string(1, input);
  for (const output of node.outputs) writer.string(2, output);
  if (node.name !== undefined) writer.string(3, node.name);
  writer.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) writer.message(5, (inner) => writeAttribute(inner, name, value));
  if (node.domain !== undefined && node.domain !== '') writer.string(7, node.domain);
}

function writeAttribute(writer: ProtoWriter, name: string, attr: AttributeValue): void {
  writer.string(1, name);
  switch (attr.kind) {
    case 'float':
      writer.float(2, attr.value).int(20, AttributeType.Float);
      return;
    case 'int':
      writer.int(3, attr.value).int(20, AttributeType.Int);
      return;
    case 'string':
      writer.string(4, attr.value).int(20, AttributeType.String);
      return;
    case 'tensor':
      writer.message(5, (inner) => writeTensor(inner, attr.value)).int(20, AttributeType.Tensor);
      return;
    case 'floats':
      writer.packedFloats(7, attr.value).int(20, AttributeType.Floats);
      return;
    case 'ints':
      writer.packedInts(8, attr.value).int(20, AttributeType.Ints);
      return;
    case 'strings':
      for (const value of attr.value) writer.string(9, value);
      writer.int(20, AttributeType.Strings);
      return;
  }
}

function writeTensor(writer: ProtoWriter, tensor: TensorSpec): void {
  writer.packedInts(1, tensor.dims);
  writer.int(2, tensor.dataType);
  writer.string(8, tensor.name);
  // raw_data, little-endian, as exporters write it: one copy, no per-element framing.
  writer.bytes(9, tensor.dataType === OnnxDataType.Float ? float32Bytes(tensor.values) : int64Bytes(tensor.values));
}

function writeValueInfo(writer: ProtoWriter, info: ValueInfoSpec): void {
  writer.string(1, info.name);
  writer.message(2, (type) =>
    type.message(1, (tensorType) =>
      tensorType.int(1, info.elementType).message(2, (shape) => {
        for (const dim of info.dims) {
          shape.message(1, (dimension) => (typeof dim === 'number' ? dimension.int(1, dim) : dimension.string(2, dim)));
        }
      }),
    ),
  );
  if (info.doc !== undefined) writer.string(3, info.doc);
}

function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < values.length; index += 1) view.setFloat32(index * 4, values[index] ?? 0, true);
  return bytes;
}

function int64Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < values.length; index += 1) view.setBigInt64(index * 8, BigInt(values[index] ?? 0), true);
  return bytes;
}
