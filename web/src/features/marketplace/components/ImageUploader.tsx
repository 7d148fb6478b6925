import { useId, useRef } from 'react';
import { Button, ErrorMessage } from '@/components/ui';
import type { Listing } from '@/lib/api/types';
import { useDeleteImage, useImageUpload } from '../api/listings';

const maxImages = 8;

/** The owner's photos of a listing: upload one at a time with a progress bar (XMLHttpRequest), remove any. */
export function ImageUploader({ listing }: { listing: Listing }) {
  const upload = useImageUpload(listing.id);
  const remove = useDeleteImage(listing.id);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  function choose(files: FileList | null) {
    const file = files?.[0];
    if (!file) return;
    upload.mutate(file, { onSettled: () => input.current && (input.current.value = '') });
  }

  return (
    <section aria-label="Photos of the listing">
      <h2>Photos</h2>
      {listing.images.length === 0 && <p>No photos yet: listings with a photo get more requests.</p>}
      <ul className="photos" aria-label="Uploaded photos">
        {listing.images.map((img, i) => (
          <li key={img.id}>
            <img src={img.urls.thumb} alt={`Photo ${i + 1}`} width={70} height={70} />
            <Button type="button" className="secondary" busy={remove.isPending && remove.variables === img.id} onClick={() => remove.mutate(img.id)}>
              Remove photo {i + 1}
            </Button>
          </li>
        ))}
      </ul>
      {listing.images.length < maxImages && (
        <div className="field">
          <label htmlFor={id}>Add a photo (JPEG, PNG or WebP, up to 10 MB)</label>
          <input ref={input} id={id} type="file" accept="image/jpeg,image/png,image/webp" disabled={upload.isPending} onChange={(e) => choose(e.target.files)} />
        </div>
      )}
      {upload.isPending && upload.progress && (
        <div>
          <progress aria-label="Upload progress" max={100} value={upload.progress.percent} />
          <p role="status">Uploading… {upload.progress.percent}%</p>
        </div>
      )}
      {upload.isSuccess && !upload.isPending && <p role="status">Photo added.</p>}
      <ErrorMessage error={upload.error ?? remove.error} />
    </section>
  );
}
