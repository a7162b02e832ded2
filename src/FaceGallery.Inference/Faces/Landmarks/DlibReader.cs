namespace FaceGallery.Inference.Faces.Landmarks;

/// <summary>
/// Reads dlib's portable serialization format: integers as a control byte (byte count in the low
/// nibble, sign in bit 7) followed by that many little-endian magnitude bytes; floating point
/// values as an integer mantissa and a 16-bit integer exponent (value = mantissa · 2^exponent);
/// containers as an element count followed by the elements.
/// </summary>
internal sealed class DlibReader(byte[] buffer)
{
    // dlib's float_details marks non-finite values with these exponents.
    private const short InfinityExponent = 32000;
    private const short NegativeInfinityExponent = 32001;
    private const short NaNExponent = 32002;

    private int _position;

    public bool AtEnd => _position >= buffer.Length;

    public long ReadInt64()
    {
        var control = ReadByte();
        var size = control & 0x0F;
        var negative = (control & 0x80) != 0;
        if (size is 0 or > 8)
        {
            throw new InvalidDataException($"invalid dlib integer control byte 0x{control:x2} at offset {_position - 1}");
        }

        ulong magnitude = 0;
        for (var i = 0; i < size; i++)
        {
            magnitude |= (ulong)ReadByte() << (8 * i);
        }

        return negative ? -(long)magnitude : (long)magnitude;
    }

    public int ReadInt32() => checked((int)ReadInt64());

    public float ReadSingle()
    {
        var first = Peek();
        if ((first & 0x70) != 0)
        {
            // dlib's pre-2012 text encoding of floats: no published model we load uses it.
            throw new InvalidDataException($"legacy ASCII float encoding at offset {_position} is not supported");
        }

        var mantissa = ReadInt64();
        var exponent = checked((short)ReadInt64());
        return exponent switch
        {
            InfinityExponent => float.PositiveInfinity,
            NegativeInfinityExponent => float.NegativeInfinity,
            NaNExponent => float.NaN,
            // dlib converts the mantissa to float before scaling (ldexp((float)mantissa, exponent)).
            _ => MathF.ScaleB(mantissa, exponent),
        };
    }

    /// <summary>A dlib column vector (<c>matrix&lt;float,0,1&gt;</c>): negated rows and columns, then row-major values.</summary>
    public float[] ReadFloatColumn()
    {
        var rows = Math.Abs(ReadInt64());
        var cols = Math.Abs(ReadInt64());
        if (cols != 1 || rows > int.MaxValue / 2)
        {
            throw new InvalidDataException($"expected a column vector, found a {rows}x{cols} matrix");
        }

        var values = new float[rows];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ReadSingle();
        }

        return values;
    }

    public int ReadCount()
    {
        var count = ReadInt64();
        if (count < 0 || count > buffer.Length - _position)
        {
            throw new InvalidDataException($"implausible container size {count} at offset {_position}");
        }

        return (int)count;
    }

    private byte ReadByte()
    {
        if (_position >= buffer.Length)
        {
            throw new InvalidDataException("unexpected end of the dlib model file");
        }

        return buffer[_position++];
    }

    private byte Peek() => _position < buffer.Length
        ? buffer[_position]
        : throw new InvalidDataException("unexpected end of the dlib model file");
}
