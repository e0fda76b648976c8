/**
 * Received bytes as the chunks they came in: a message spread over many reads is copied once, when it is whole,
 * not once per read (a 25 MB answer arrives in hundreds of chunks).
 */
export class ByteQueue {
	private chunks: Buffer[] = [];
	length = 0;

	push(chunk: Buffer): void {
		this.chunks.push(chunk);
		this.length += chunk.length;
	}

	/** The first `count` bytes (at most length) as one buffer, without consuming them. */
	peek(count: number): Buffer {
		if (this.chunks.length > 1 && this.chunks[0].length < count) {
			let joined = 0;
			let used = 0;
			while (joined < count && used < this.chunks.length) {
				joined += this.chunks[used++].length;
			}

			this.chunks.splice(0, used, Buffer.concat(this.chunks.slice(0, used)));
		}

		return (this.chunks[0] ?? Buffer.alloc(0)).subarray(0, count);
	}

	/** Remove and return the first `count` bytes (count <= length). */
	take(count: number): Buffer {
		const first = this.chunks[0];
		if (first && first.length >= count) {
			this.length -= count;
			if (first.length === count) {
				this.chunks.shift();
			} else {
				this.chunks[0] = first.subarray(count);
			}

			return first.subarray(0, count);
		}

		const out = Buffer.allocUnsafe(count);
		let filled = 0;
		while (filled < count) {
			const chunk = this.chunks[0];
			const used = Math.min(chunk.length, count - filled);
			chunk.copy(out, filled, 0, used);
			filled += used;
			if (used === chunk.length) {
				this.chunks.shift();
			} else {
				this.chunks[0] = chunk.subarray(used);
			}
		}

		this.length -= count;
		return out;
	}

	clear(): void {
		this.chunks = [];
		this.length = 0;
	}
}
