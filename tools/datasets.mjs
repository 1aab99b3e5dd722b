// Why: the one list of dataset files, where they may come from, and the hashes that prove a copy is
// the real thing. Used by `npm run data` and by the browser loader's expectations.

/**
 * Each file is accepted when the SHA-256 of the .gz is the published one, or, for copies that were
 * recompressed (Debian repacks Fashion-MNIST), when the SHA-256 of its uncompressed IDX contents is
 * the known one. Content hashes were taken from the canonical MNIST files (../shared/mnist, whose gz
 * hashes are the published ones) and Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1.
 */
export const DATASETS = {
  mnist: {
    title: 'MNIST',
    dir: 'mnist',
    localSources: ['../shared/mnist'],
    mirrors: ['https://storage.googleapis.com/cvdf-datasets/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'],
    files: {
      'train-images-idx3-ubyte.gz': {
        gzSha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
        contentSha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
        contentBytes: 47040016,
      },
      'train-labels-idx1-ubyte.gz': {
        gzSha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
        contentSha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
        contentBytes: 60008,
      },
      't10k-images-idx3-ubyte.gz': {
        gzSha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
        contentSha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
        contentBytes: 7840016,
      },
      't10k-labels-idx1-ubyte.gz': {
        gzSha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
        contentSha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
        contentBytes: 10008,
      },
    },
  },
  fashion: {
    title: 'Fashion-MNIST',
    dir: 'fashion-mnist',
    localSources: ['/usr/share/datasets/fashion-mnist'],
    mirrors: ['https://storage.googleapis.com/tensorflow/tf-keras-datasets/', 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    files: {
      'train-images-idx3-ubyte.gz': {
        gzSha256: null,
        contentSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
        contentBytes: 47040016,
      },
      'train-labels-idx1-ubyte.gz': {
        gzSha256: null,
        contentSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
        contentBytes: 60008,
      },
      't10k-images-idx3-ubyte.gz': {
        gzSha256: null,
        contentSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
        contentBytes: 7840016,
      },
      't10k-labels-idx1-ubyte.gz': {
        gzSha256: null,
        contentSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
        contentBytes: 10008,
      },
    },
  },
};
