// Minimal typings for the parts of piexifjs the asset tests use.
declare module 'piexifjs' {
  type IfdData = Record<number, unknown>;
  const piexif: {
    ImageIFD: Record<string, number>;
    ExifIFD: Record<string, number>;
    GPSIFD: Record<string, number>;
    dump(exif: { '0th'?: IfdData; Exif?: IfdData; GPS?: IfdData }): string;
    insert(exifBytes: string, jpegBinary: string): string;
    load(jpegBinary: string): Record<string, IfdData>;
  };
  export default piexif;
}
