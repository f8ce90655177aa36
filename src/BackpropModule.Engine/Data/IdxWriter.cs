using System;
using System.IO;
using System.IO.Compression;

namespace BackpropModule.Engine.Data
{
    /// <summary>
    /// Writes unsigned-byte IDX files (raw or gzipped): images (magic 0x00000803: count, rows,
    /// columns) and labels (magic 0x00000801: count). Used by the tests and examples to make small
    /// MNIST-shaped sets; the output is read back by <see cref="IdxReader"/>.
    /// </summary>
    public static class IdxWriter
    {
        /// <summary>Writes an image file; <paramref name="pixels"/> holds count × rows × columns bytes, image after image, row by row.</summary>
        /// <exception cref="ArgumentException">The pixel array does not hold whole images.</exception>
        public static void WriteImages(string path, byte[] pixels, int rows, int columns, bool gzip)
        {
            if (pixels == null) throw new ArgumentNullException(nameof(pixels));
            if (rows <= 0 || columns <= 0 || pixels.Length % (rows * columns) != 0)
                throw new ArgumentException($"{pixels.Length} bytes are not whole {rows}×{columns} images.", nameof(pixels));
            Write(path, new[] { pixels.Length / (rows * columns), rows, columns }, pixels, gzip);
        }

        /// <summary>Writes a label file with one byte per sample.</summary>
        public static void WriteLabels(string path, byte[] labels, bool gzip)
        {
            if (labels == null) throw new ArgumentNullException(nameof(labels));
            Write(path, new[] { labels.Length }, labels, gzip);
        }

        /// <summary>Writes any unsigned-byte IDX file: header for <paramref name="dims"/>, then <paramref name="data"/> as given.</summary>
        public static void Write(string path, int[] dims, byte[] data, bool gzip)
        {
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            using (Stream s = gzip ? (Stream)new GZipStream(file, CompressionLevel.Fastest) : file)
            {
                var header = new byte[4 + 4 * dims.Length];
                header[2] = 0x08;
                header[3] = (byte)dims.Length;
                for (int d = 0; d < dims.Length; d++)
                {
                    header[4 + 4 * d] = (byte)(dims[d] >> 24);
                    header[5 + 4 * d] = (byte)(dims[d] >> 16);
                    header[6 + 4 * d] = (byte)(dims[d] >> 8);
                    header[7 + 4 * d] = (byte)dims[d];
                }
                s.Write(header, 0, header.Length);
                s.Write(data, 0, data.Length);
            }
        }
    }
}
