import { useCallback, useEffect, useRef, useState } from "react";
import type { FileInfo } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { UploadError, type UploadFailure, uploadFile } from "./upload.js";

export interface Upload {
  key: number;
  file: File;
  progress: number;
  status: "uploading" | "done" | "failed";
  failure?: UploadFailure;
  info?: FileInfo;
}

/** The files attached to the message being written: each uploads at once, can be cancelled or retried. */
export function useUploads() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const nextKey = useRef(1);

  const update = useCallback((key: number, patch: Partial<Upload>) => {
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));
  }, []);

  const start = useCallback(
    (key: number, file: File) => {
      const controller = new AbortController();
      controllers.current.set(key, controller);
      uploadFile(file, (progress) => update(key, { progress }), controller.signal).then(
        (info) => update(key, { status: "done", progress: 1, info }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          update(key, { status: "failed", failure: error instanceof UploadError ? error.reason : "other" });
        },
      );
    },
    [update],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      const added: Upload[] = [];
      for (const file of files) {
        const key = nextKey.current++;
        added.push({ key, file, progress: 0, status: "uploading" });
        start(key, file);
      }
      setUploads((list) => [...list, ...added].slice(0, LIMITS.filesPerMessage));
    },
    [start],
  );

  const remove = useCallback((key: number) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setUploads((list) => list.filter((u) => u.key !== key));
  }, []);

  const retry = useCallback(
    (key: number) => {
      const upload = uploads.find((u) => u.key === key);
      if (!upload) return;
      update(key, { status: "uploading", progress: 0, failure: undefined });
      start(key, upload.file);
    },
    [uploads, start, update],
  );

  const clear = useCallback(() => {
    controllers.current.clear();
    setUploads([]);
  }, []);

  useEffect(() => {
    const all = controllers.current;
    return () => {
      for (const controller of all.values()) controller.abort();
    };
  }, []);

  const ready = uploads.length > 0 && uploads.every((u) => u.status === "done");
  const files = uploads.flatMap((u) => (u.info ? [u.info] : []));
  return { uploads, add, remove, retry, clear, ready, files };
}
