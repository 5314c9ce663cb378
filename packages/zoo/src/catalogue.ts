import { describe, GraftError } from '@graftjs/core';
import type { CatalogueEntry } from './loading/types';

// Sizes and SHA-256 digests were computed from the published bytes (pinned commits below), never from a copy we made.
// A file whose digest differs is refused: the digest, not the URL, is what identifies a weight set.

const MOBILENET_V1_025_LAYERS: CatalogueEntry = {
  name: 'mobilenet_v1_0.25_224',
  format: 'layers',
  location:
    'https://raw.githubusercontent.com/Nemurino-kai/FoodPornBlocker/f9485382dc06fc000a9f90011d02f1e18da641d0/mobilenet_v1_025_224/',
  upstream:
    'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json (same layout, Keras 2.1.4)',
  inputShape: [224, 224, 3],
  preprocessing: { size: [224, 224], range: [-1, 1], channelOrder: 'rgb' },
  feature: 'conv_pw_13_relu',
  architecture: { builder: 'mobilenetV1', alpha: 0.25 },
  classes: 1000,
  licence: 'Apache-2.0 (Google MobileNet v1)',
  files: [
    { name: 'model.json', bytes: 49367, sha256: '47417a9a7318ac0de893ed738ae84c6c26c294a415f06c421ff1c6af45df84f1' },
    {
      name: 'group1-shard1of1',
      bytes: 864,
      sha256: 'edabf35aefbb81c92764cbfff6319c77376bfc36febff8fcda7af703d2b2d6aa',
    },
    {
      name: 'group2-shard1of1',
      bytes: 128,
      sha256: '2c1e2fdf2b434592a87f2473ee63eaadec9b9992274bf894bf9022aa62a4b295',
    },
    {
      name: 'group3-shard1of1',
      bytes: 288,
      sha256: '5c6dc065b191c2d25817b1363962b3750b10f12d1da45503d4f2b35f63828b44',
    },
    {
      name: 'group4-shard1of1',
      bytes: 4608,
      sha256: '6d0bdad897777f9eff6645374b533887cc446ebbb775ee9c4fb6ba3651c39be8',
    },
    {
      name: 'group5-shard1of1',
      bytes: 2048,
      sha256: 'b0d70f6c3943ff882969ee42494650cbad05b6358ae4dd7fb767052e2c8d61a9',
    },
    {
      name: 'group6-shard1of1',
      bytes: 4608,
      sha256: 'b1670b847b867f3375c5c28182f8dc7ec4cd5227e8a288e63c205057b4bcae06',
    },
    {
      name: 'group7-shard1of1',
      bytes: 2048,
      sha256: '9449cf689bf0c590b8637e2d85cd66121af6e24ef23e327e1e9616e33c943ccf',
    },
    {
      name: 'group8-shard1of1',
      bytes: 4608,
      sha256: 'ff90f4c898656ab72f1b22c661527d33ea24c277e0ec41a694b796bc70bbef62',
    },
    {
      name: 'group9-shard1of1',
      bytes: 2048,
      sha256: '619417b59fbc5c8b19c0103a1356d8c6cc2edbbacae04d61bd66d568ca44ca10',
    },
    {
      name: 'group10-shard1of1',
      bytes: 9216,
      sha256: '56e538501e0a023c76eef09155492d06ac9b6c23e1ff740ce41b82b3c31d6e94',
    },
    {
      name: 'group11-shard1of1',
      bytes: 4096,
      sha256: '5f089a0979fa68b7637bf26c51e866b6e08d2bad72e1a3e10dec081d551133e2',
    },
    {
      name: 'group12-shard1of1',
      bytes: 128,
      sha256: '47b68d00ca57c0b6e39fb9d39e4eb7dabf0b99ec38c49bc45e1397cea329fe46',
    },
    {
      name: 'group13-shard1of1',
      bytes: 576,
      sha256: '7b7c74cb5c301312a7c62c9eeb4fdc8c5c57880f58268c32c1060bae7452a93a',
    },
    {
      name: 'group14-shard1of1',
      bytes: 256,
      sha256: '1403fb88a00a1ee465631c6fdb8eec0d532a7b4d9e946f03ae6848304bf41082',
    },
    {
      name: 'group15-shard1of1',
      bytes: 1152,
      sha256: '31fc5c67b4f0f32a86069c90f5098988fb4b6b9d6e837cde9318bf82c6ace283',
    },
    {
      name: 'group16-shard1of1',
      bytes: 512,
      sha256: '45befac068de20c8d151a3cba9f7d09a0d4e0fd23e786a78615a98eb0800b1a5',
    },
    {
      name: 'group17-shard1of1',
      bytes: 1152,
      sha256: '268bfbd17bd9333c3867de58d15c359f8211111b47130361fc078ad85c838c17',
    },
    {
      name: 'group18-shard1of1',
      bytes: 512,
      sha256: 'fd6b29d8b2c4b14cb68b23c5b065c98cb5bf5b1bb591823fabbbf59a5699dcb3',
    },
    {
      name: 'group19-shard1of1',
      bytes: 2304,
      sha256: '65f3ba8b805628857d9305ddec4b07b2ba3c578a7740d10791384a3ff5574ad1',
    },
    {
      name: 'group20-shard1of1',
      bytes: 1024,
      sha256: '7050469756997f7f39f29123924e4d570740c865b9778102b4b5e860a60d2445',
    },
    {
      name: 'group21-shard1of1',
      bytes: 2304,
      sha256: 'b7ac12c0857e6de96b0973df3f68bfe0d49a24f2408c120fe698e4b892bf00cc',
    },
    {
      name: 'group22-shard1of1',
      bytes: 1024,
      sha256: '5206911ca627537095d3b4f6389df6d3d6397a7faee336e67215b71a691c8ae9',
    },
    {
      name: 'group23-shard1of1',
      bytes: 4608,
      sha256: '67a89784137ea9720e6c5ee9d70113933e087100f3f0df3eebefda9dc11c72a3',
    },
    {
      name: 'group24-shard1of1',
      bytes: 2048,
      sha256: 'c6fec2526a167ae899ad6bc96a27a4e525ef5e94da0c23a37465ecae266afd4d',
    },
    {
      name: 'group25-shard1of1',
      bytes: 4608,
      sha256: '8dd9917bfc71ffec7d2f9b8a74a47b59fbc1f7d03e18c1a7996fb64cca244cb7',
    },
    {
      name: 'group26-shard1of1',
      bytes: 2048,
      sha256: '93fd2a5988cb4578cf6ccb7f65eaf838621307923b726f4d34a9a69c82aa7835',
    },
    {
      name: 'group27-shard1of1',
      bytes: 4608,
      sha256: '71a4b8f17edb37acb78b0acd6d666f247fbd41588528f84c74514054274f91bb',
    },
    {
      name: 'group28-shard1of1',
      bytes: 2048,
      sha256: '88a53e2fe1d619390a3783149161113d6c792262133bd07d2a7ee0f0c8176e00',
    },
    {
      name: 'group29-shard1of1',
      bytes: 1028000,
      sha256: 'f047ff48ce2829fd9c10bbae13c9443d77d2450c3373b47ca3f8b837f0012789',
    },
    {
      name: 'group30-shard1of1',
      bytes: 512,
      sha256: '165a39308c2b2db017e4e1c70d70014da8e7b2057d214a92b87ccd0aa8ecb8da',
    },
    {
      name: 'group31-shard1of1',
      bytes: 65536,
      sha256: 'be3ae0501d536d6b8ebc9848b978062772dff56591473a3d593cdd23bad8557b',
    },
    {
      name: 'group32-shard1of1',
      bytes: 2048,
      sha256: '6bab02eafbdb5743a75b8a18f4676f0206b9b2ddfe58bb752b3624fef4570bee',
    },
    {
      name: 'group33-shard1of1',
      bytes: 65536,
      sha256: '53adf89e30f46c58b4f2d692e3f74901346e0d9220abd42910069aa04b8a2ec6',
    },
    {
      name: 'group34-shard1of1',
      bytes: 2048,
      sha256: '1f43e3baf5e0c002b161da703a15c05f331e6369da2ec24d9427365052e8ea02',
    },
    {
      name: 'group35-shard1of1',
      bytes: 131072,
      sha256: '1277abc3755440b0589d7c19630c48ff996c7ed64cfdf29c9dfcc539db5788ea',
    },
    {
      name: 'group36-shard1of1',
      bytes: 4096,
      sha256: 'fa47f3541eea153174b3159d5fe2d376de467a49925870fea3804f31253ca227',
    },
    {
      name: 'group37-shard1of1',
      bytes: 262144,
      sha256: '00ede3172b77a23b95371ea79f0480b6a46c296c3c875732beeb213278223c4e',
    },
    {
      name: 'group38-shard1of1',
      bytes: 4096,
      sha256: 'f9cda80d267ab6ef2c657afed93c1f0342db0a14c8c61ee8036dcd6ba04cf526',
    },
    {
      name: 'group39-shard1of1',
      bytes: 256,
      sha256: '0a9369be8b5dfb7f25eb782ca9d57bcf5c6018a60c5789975b7c802d2e9a8033',
    },
    {
      name: 'group40-shard1of1',
      bytes: 2048,
      sha256: 'e29621b35ebb0a35d22a11ae5b1bb070c0526577bd92ed9c2cbf0a63f055b4e1',
    },
    {
      name: 'group41-shard1of1',
      bytes: 512,
      sha256: 'ac7417eb2b88016e6aed832a0cb61369e6457a7bbfef1167c22e49e00cf2a315',
    },
    {
      name: 'group42-shard1of1',
      bytes: 4096,
      sha256: '7c292473c55e234091f8d99422743779a5a9e8f91d49c90ef9a77432290299d4',
    },
    {
      name: 'group43-shard1of1',
      bytes: 512,
      sha256: '74ec361a7398c2510727c6a513f6e79a407aa5332f8a1b2b8c992b445a108c98',
    },
    {
      name: 'group44-shard1of1',
      bytes: 8192,
      sha256: 'ea7b1678a5eecbbec96a7aacb5577f54df43f71be8ee2480b5942e717488f6de',
    },
    {
      name: 'group45-shard1of1',
      bytes: 1024,
      sha256: '56f8ed19d60e630e7a528adc90bc7215991c42606435be271ba2e1301317f353',
    },
    {
      name: 'group46-shard1of1',
      bytes: 16384,
      sha256: '32124cabcfdc5859466b6af656c8467fb4a48bdaac6382ab5b5db015565a09b4',
    },
    {
      name: 'group47-shard1of1',
      bytes: 1024,
      sha256: '34fa5b0e22b0d998a9fe503fb921cf947c1f163d4b70017801cb6e900b1ab6d5',
    },
    {
      name: 'group48-shard1of1',
      bytes: 32768,
      sha256: 'b2be37c058ad99a6bd51ca54884b3dfe278b33e5372d470ba8f4a8859139fb7d',
    },
    {
      name: 'group49-shard1of1',
      bytes: 2048,
      sha256: '59fa80185c94b52f85592b65de71563a8acca6ed5cb94c4ae8f2a02ec97e808c',
    },
    {
      name: 'group50-shard1of1',
      bytes: 65536,
      sha256: '530f049c43b9f31f2e4aa2663723a5090cdec42f243833f348acb400a386311c',
    },
    {
      name: 'group51-shard1of1',
      bytes: 2048,
      sha256: '1d202ecdbb7d48aa152ccb8cc34b24812f774038802f80a3e8889b3ab3b48599',
    },
    {
      name: 'group52-shard1of1',
      bytes: 65536,
      sha256: 'ce01c0edb4584d50dddaf7d0deba4ab156b43176c8810a92b21ab0b239cecfba',
    },
    {
      name: 'group53-shard1of1',
      bytes: 2048,
      sha256: '6cca55e52e39b97b87d67a21180fba53e51d3e2cdbb157ebfa09530836119364',
    },
    {
      name: 'group54-shard1of1',
      bytes: 65536,
      sha256: '63f0914ba3f4cd773e2b4eae2235ab43cb325b1ab21f1dc7325160b5b6aa0f3b',
    },
    {
      name: 'group55-shard1of1',
      bytes: 2048,
      sha256: 'a762f7d6c962f43b16e8ef3fede568eac7f6fb2941af14cb25ef9a211e50f704',
    },
  ],
};

const MOBILENET_V1_025_GRAPH: CatalogueEntry = {
  name: 'mobilenet_v1_0.25_224_graph',
  format: 'graph',
  location:
    'https://raw.githubusercontent.com/Nemurino-kai/FoodPornBlocker/f9485382dc06fc000a9f90011d02f1e18da641d0/mobilenet_v1_025_224/imagenet/',
  upstream: 'https://tfhub.dev/google/imagenet/mobilenet_v1_025_224/classification/1',
  inputShape: [224, 224, 3],
  preprocessing: { size: [224, 224], range: [0, 1], channelOrder: 'rgb' },
  feature: 'module_apply_default/MobilenetV1/Logits/global_pool',
  inputNode: 'images',
  featureShape: [256],
  classes: 1001,
  licence: 'Apache-2.0 (Google MobileNet v1, TF-Hub)',
  files: [
    { name: 'model.json', bytes: 60507, sha256: '6faec7d52c5f51801302fb8f9beaf31f4ac12edc89083f8231de6c20d814f522' },
    {
      name: 'group1-shard1of1',
      bytes: 1875348,
      sha256: '0bb67208cb5d6d9ce1ebbc8e27236622ebe9c37fe54bc51de43898a3ccde21c1',
    },
  ],
};

const DARKNET_TINY: CatalogueEntry = {
  name: 'darknet_tiny',
  format: 'layers',
  location:
    'https://raw.githubusercontent.com/ml5js/ml5-data-and-models/0612a3e7c51cbffdc5db701dff49d16d1ac26fa8/models/darknetclassifier/darknettiny/',
  upstream: 'https://pjreddie.com/darknet/imagenet/ (Darknet reference "tiny" classifier, converted by ml5)',
  inputShape: [224, 224, 3],
  preprocessing: { size: [224, 224], range: [0, 1], channelOrder: 'rgb' },
  feature: 'leaky_re_lu_15',
  classes: 1000,
  licence: 'MIT (ml5-data-and-models); Darknet weights public domain',
  files: [
    { name: 'model.json', bytes: 33236, sha256: '5a5ee1ddb33ac7948b303197f4c63f72a80fc00a7d2870d30843004ddd5b4b51' },
    {
      name: 'group1-shard1of1',
      bytes: 256,
      sha256: '1a95595a3f6c497f27747d40276649a10988d0808a121ddfb3f6b368133f44c5',
    },
    {
      name: 'group2-shard1of1',
      bytes: 4096,
      sha256: '8226135041fbafc7c3a838d0673badb8d3e4211a4d550781951d15a09445ea47',
    },
    {
      name: 'group3-shard1of1',
      bytes: 1024,
      sha256: '3a465f4bbcbcd7721caa77b704829cfe20eadab670a8d91a352e76e4cfca1a02',
    },
    {
      name: 'group4-shard1of1',
      bytes: 8192,
      sha256: '3e661974c4740795f3ca9b882ae80dc3521951dac2b262ac054329f17aaefb10',
    },
    {
      name: 'group5-shard1of1',
      bytes: 1024,
      sha256: '5f1fa7779fe01d2b06ea3804f84e5cf6a25688dc458617a9f35a1018356abcbf',
    },
    {
      name: 'group6-shard1of1',
      bytes: 8192,
      sha256: 'e054b14e9e866da448ab351f04d3920ae216032b3df680396163a77b8925a009',
    },
    {
      name: 'group7-shard1of1',
      bytes: 2048,
      sha256: '2aed907302664d64b85669a293c8f5a492521b4d025b9b3a19943f951a7e32df',
    },
    {
      name: 'group8-shard1of1',
      bytes: 512,
      sha256: '99e0418ac61cd6093df0bb4a5a67750ec0b0fbb8edb2125c0cfda67e3cb3f1a4',
    },
    {
      name: 'group9-shard1of1',
      bytes: 256,
      sha256: '4fb47f3aa4f19f7fabd7d4271cf81e8af7735fcfc89bf4b9174f379bb60b129d',
    },
    {
      name: 'group10-shard1of1',
      bytes: 2048,
      sha256: '2afc82f4d423cb8272e4089b69c5dba2755eea8499935b4f0020e27b5d559557',
    },
    {
      name: 'group11-shard1of1',
      bytes: 256,
      sha256: '8957dc1caa88193522d8071f6ac3171634818bb50223b1e98ace21f010b414cc',
    },
    {
      name: 'group12-shard1of1',
      bytes: 2048,
      sha256: 'bced27a16699c0eca4ee4d15c4e5fac46532a6f2850b53445818c0e2e69af7b1',
    },
    {
      name: 'group13-shard1of1',
      bytes: 512,
      sha256: '5e6172c6d71505fce1a9388e733aaddf21f6ab14f9ccaf10d2986a94b8f19b42',
    },
    {
      name: 'group14-shard1of1',
      bytes: 4096,
      sha256: 'adfb4ad19dea5c1ba0c9b7e7d90f6265aac136a7d98e0f0eed4362d62e5e51f8',
    },
    {
      name: 'group15-shard1of1',
      bytes: 512,
      sha256: '79131184270263a2c585240efbfdd3ed13fc005c67b761ced984c70265209511',
    },
    {
      name: 'group16-shard1of1',
      bytes: 1728,
      sha256: 'd70b0b9f3db3d51bd5613246885f4723998aef2e56845c7dec75743221f1ef5e',
    },
    {
      name: 'group17-shard1of1',
      bytes: 294912,
      sha256: '3dad37a465ab881c2d2006072cd60d83144d04a5c5448f49e15308472bbb145a',
    },
    {
      name: 'group18-shard1of1',
      bytes: 65536,
      sha256: 'c7a7f19a7a9e3a780bd1aedfe30a7e594821ea8d57d6e72d148c033b0f24f5fa',
    },
    {
      name: 'group19-shard1of1',
      bytes: 1179648,
      sha256: '4f16fe423091d9b32d59bff14cd19f1a6a233bc98adade4a1e0ef0d2972752b5',
    },
    {
      name: 'group20-shard1of1',
      bytes: 131072,
      sha256: '1efd0b489da0d04808a02175c2803528313f7e9abadb18a5dc3ae0b5bd5c0331',
    },
    {
      name: 'group21-shard1of1',
      bytes: 1179648,
      sha256: '9d024d14a803a3b078df0e9829bcc13a8901c3a6043456632ce5697be5734155',
    },
    {
      name: 'group22-shard1of1',
      bytes: 262144,
      sha256: '0c18a3238859e649bac990e90dc4738861ffd07e9bee725139bec9ef3b8545ef',
    },
    {
      name: 'group23-shard1of1',
      bytes: 516000,
      sha256: '2116862cb9cd43b21a3bfa3ea41e43dbe33284a97a8a22c5afe8d768f5a767af',
    },
    {
      name: 'group24-shard1of1',
      bytes: 18432,
      sha256: '35c4204cee6796300f50addf2a2202a137eaa8a42999a79168f9226f60c8a62b',
    },
    {
      name: 'group25-shard1of1',
      bytes: 2048,
      sha256: '9a37816bda07b3be24b88103a11dcc5d3eea15749a15594492b03ba3177a6a5e',
    },
    {
      name: 'group26-shard1of1',
      bytes: 73728,
      sha256: '697677a6c94bd84fb0b558421629b5424101c4ea16601be53096275f43891f6c',
    },
    {
      name: 'group27-shard1of1',
      bytes: 8192,
      sha256: 'ef48b33bcf06fed0a9cc8b41017bccbf4f32fceeae946c00e0fd130fc467f9e4',
    },
    {
      name: 'group28-shard1of1',
      bytes: 73728,
      sha256: '2831d9d4368b4cad678f9a3df4c9575bc35e1c2a7ef6ebed887c02c06a4f6dab',
    },
    {
      name: 'group29-shard1of1',
      bytes: 16384,
      sha256: '720e58d7e54901e8db21d698fc094ffcb65a5991397895fef827ce53094b2a15',
    },
    {
      name: 'group30-shard1of1',
      bytes: 294912,
      sha256: 'a68c7913477828b28c2fe1924b191139877f7825e5f1a2e1c1b0e0e92accc669',
    },
    {
      name: 'group31-shard1of1',
      bytes: 32768,
      sha256: '7985bd42bc5c0333e563998ad6d4616b0afaf1765f2b8c4c6df3944cf8f13992',
    },
  ],
};

// Teachable Machine's published MobileNetV2 0.35 base, as it ships inside a Teachable Machine image-model export (the
// backbone's 260 tensors byte-identical to an independent export; the 2-class head in these files is the uploader's
// and our builder ignores it). That repository keeps weights.bin at its root, beside the folder of model.json.
const TM_EXPORT =
  'https://raw.githubusercontent.com/YogaMaulana17/tm-my-image-model/952b3ada6343ded01ea5e29cd9c9d4428c0df739/';

const MOBILENET_V2_035_TM: CatalogueEntry = {
  name: 'mobilenet_v2_0.35_224',
  format: 'layers',
  location: `${TM_EXPORT}my_model/`,
  upstream:
    "https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json (Teachable Machine's base; the same backbone tensors, not these bytes)",
  inputShape: [224, 224, 3],
  preprocessing: { size: [224, 224], range: [-1, 1], channelOrder: 'rgb' },
  feature: 'out_relu',
  architecture: { builder: 'mobilenetV2', alpha: 0.35 },
  licence: 'Apache-2.0 (Keras applications MobileNetV2, Teachable Machine); the export repository states none',
  files: [
    { name: 'model.json', bytes: 219555, sha256: '21bf8ba34dfe2bf1b6fb32067641fddf0467ef4179a894ebedfa3c3dddbf0a6b' },
    {
      name: 'weights.bin',
      bytes: 2154032,
      sha256: '8d47bba7f703efc37dca43cea367afe1d10cfc14d335662907c39d0decd4c23c',
      url: `${TM_EXPORT}weights.bin`,
    },
  ],
};

/** Every published weight set graft knows, by name. */
export const catalogue: readonly CatalogueEntry[] = Object.freeze([
  MOBILENET_V1_025_LAYERS,
  MOBILENET_V1_025_GRAPH,
  DARKNET_TINY,
  MOBILENET_V2_035_TM,
]);

/** The catalogue entry called `name`; throws UNKNOWN_BACKBONE listing the known names. */
export function backbone(name: string): CatalogueEntry {
  const entry = catalogue.find((e) => e.name === name);
  if (!entry) {
    const known = catalogue.map((e) => e.name).join(', ');
    throw new GraftError('UNKNOWN_BACKBONE', `expected one of: ${known}; got ${describe(name)}`, {
      known: catalogue.map((e) => e.name),
    });
  }
  return entry;
}
