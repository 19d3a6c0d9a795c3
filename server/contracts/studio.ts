// The studio page's signalling with mediasoup-client: the WebRTC parameters it exchanges, as bounded
// schemas. They are checked here for shape and size only; mediasoup itself validates their meaning on
// the node (a wrong codec or payload type is refused there).
import { Type, type Static, type TProperties } from 'typebox';
import { Body } from './common.ts';

const Short = (maxLength = 100) => Type.String({ maxLength });
/** mediasoup-client's shapes exactly: a field it never sends is refused rather than passed on. */
const Strict = <P extends TProperties>(properties: P) => Type.Object(properties, { additionalProperties: false });
const Params = Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]), { maxProperties: 20 });

export const DtlsParameters = Strict({
  role: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('client'), Type.Literal('server')])),
  fingerprints: Type.Array(Strict({ algorithm: Short(20), value: Short(200) }), { minItems: 1, maxItems: 8 }),
});

export const MediaKind = Type.Union([Type.Literal('audio'), Type.Literal('video')]);

/** What mediasoup-client's `produce` event carries (encodings stay open: their fields vary by browser). */
export const RtpParameters = Strict({
  mid: Type.Optional(Short(32)),
  codecs: Type.Array(
    Strict({
      mimeType: Short(50),
      payloadType: Type.Integer({ minimum: 0, maximum: 127 }),
      clockRate: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      channels: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
      parameters: Type.Optional(Params),
      rtcpFeedback: Type.Optional(Type.Array(Strict({ type: Short(30), parameter: Type.Optional(Short(30)) }), { maxItems: 20 })),
    }),
    { minItems: 1, maxItems: 8 },
  ),
  headerExtensions: Type.Optional(
    Type.Array(Strict({ uri: Short(200), id: Type.Integer({ minimum: 1, maximum: 255 }), encrypt: Type.Optional(Type.Boolean()), parameters: Type.Optional(Params) }), { maxItems: 20 }),
  ),
  encodings: Type.Optional(Type.Array(Type.Record(Type.String({ maxLength: 32 }), Type.Unknown(), { maxProperties: 20 }), { maxItems: 4 })),
  rtcp: Type.Optional(Strict({ cname: Type.Optional(Short(100)), reducedSize: Type.Optional(Type.Boolean()), mux: Type.Optional(Type.Boolean()) })),
  msid: Type.Optional(Short(200)),
});
export type RtpParameters = Static<typeof RtpParameters>;

/** Handed to the browser as they come from mediasoup (the browser's mediasoup-client reads them). */
const Passed = Type.Record(Type.String(), Type.Unknown());

export const StudioTransport = Type.Object({
  id: Short(),
  iceParameters: Passed,
  iceCandidates: Type.Array(Passed, { maxItems: 16 }),
  dtlsParameters: Passed,
});

export const StudioSession = Type.Object({
  sessionId: Short(),
  routerRtpCapabilities: Passed,
  transport: StudioTransport,
});
export type StudioSession = Static<typeof StudioSession>;

/** The camera's capture size: the ladder's nominal resolution (the page keeps it with maintain-resolution). */
export const StudioSessionBody = Body({
  width: Type.Integer({ minimum: 16, maximum: 7680 }),
  height: Type.Integer({ minimum: 16, maximum: 4320 }),
  fps: Type.Number({ exclusiveMinimum: 0, maximum: 120 }),
});
export const StudioConnectBody = Body({ dtlsParameters: DtlsParameters });
export const StudioProduceBody = Body({ kind: MediaKind, rtpParameters: RtpParameters });
