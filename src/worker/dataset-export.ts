// Why: a dataset built in one browser should move to another (or to PyTorch's ImageFolder): it is
// exported as one .zip of class folders of PNG files, the same layout the builder imports, so an
// export imported again gives the same images, classes and (with the same seed) the same split.
import { encodePng } from '../data/image-decode';
import type { LabelledImages } from '../data/idx';
import { zip, type ZipEntry } from '../export';
import type { OwnDataset } from './dataset-import';

/** A folder name the zip writer takes (letters, digits, spaces and a few marks). */
function folderName(name: string): string {
  const clean = name.replace(/[^\p{L}\p{N} _.()+,-]/gu, '_').replace(/^[ .]+/, '');
  return clean === '' ? '_' : clean;
}

export async function exportDataset(d: OwnDataset): Promise<{ bytes: Uint8Array; name: string }> {
  const { C, H } = d.descriptor.input;
  const folders = d.descriptor.classNames.map(folderName);
  const entries: ZipEntry[] = [];
  const counters = folders.map(() => 0);
  const add = async (split: LabelledImages) => {
    const bytes = C * H * H;
    for (let i = 0; i < split.count; i++) {
      const label = split.labels[i]!;
      const n = ++counters[label]!;
      entries.push({ name: `${folders[label]}/${String(n).padStart(5, '0')}.png`, data: await encodePng(split.images.subarray(i * bytes, (i + 1) * bytes), H, C) });
    }
  };
  await add(d.train);
  await add(d.test);
  return { bytes: zip(entries), name: `${folderName(d.descriptor.name)}.zip` };
}
