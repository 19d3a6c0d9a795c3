// mediasoup 3.27 is written against libsrtp 3 (versatica's 3.0.0-beta fork, fetched from GitHub at
// build time); Debian 12 ships libsrtp 2.5. This header gives mediasoup the libsrtp 3 calls it makes,
// each mapped onto libsrtp 2:
//  - the policy is an opaque handle built with srtp_policy_create/set_*/add_key/destroy (libsrtp 2:
//    a plain struct whose `key` points at the master key immediately followed by the salt);
//  - srtp_protect/unprotect (and _rtcp) work out of place with size_t lengths (libsrtp 2: in place,
//    int lengths): copy, then run libsrtp 2 in place on the output buffer;
//  - srtp_stream_remove is libsrtp 2's srtp_remove_stream; two new error codes are declared.
// The wrappers are C++ overloads of libsrtp 2's extern "C" functions (the signatures differ). The one
// name both APIs use for different things, srtp_policy_t, is redefined at the end of this header.
#pragma once

#include <srtp2/srtp.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

// Error codes libsrtp 3 added after srtp_err_status_pkt_idx_adv (27).
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace linbo_srtp3
{
	struct Policy
	{
		::srtp_policy_t v2{};
		unsigned char keyAndSalt[SRTP_MAX_KEY_LEN]{};
	};

	// libsrtp 2 reads and writes the packet in place: copy it to the output buffer, which must leave
	// `room` for what protection appends, and run `inPlace(buffer, &len)` there.
	template<typename InPlace>
	inline srtp_err_status_t OutOfPlace(
	  const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t room, InPlace inPlace)
	{
		if (inLen > static_cast<size_t>(INT_MAX) - room)
		{
			return srtp_err_status_bad_param;
		}
		if (*outLen < inLen + room)
		{
			return srtp_err_status_buffer_small;
		}
		if (out != in)
		{
			std::memmove(out, in, inLen);
		}

		int len = static_cast<int>(inLen);
		const srtp_err_status_t err = inPlace(out, &len);

		if (err == srtp_err_status_ok)
		{
			*outLen = static_cast<size_t>(len);
		}

		return err;
	}
} // namespace linbo_srtp3

inline srtp_err_status_t srtp_policy_create(linbo_srtp3::Policy** policy)
{
	*policy = new (std::nothrow) linbo_srtp3::Policy();

	if (*policy == nullptr)
	{
		return srtp_err_status_alloc_fail;
	}
	(*policy)->v2.key = (*policy)->keyAndSalt;

	return srtp_err_status_ok;
}

inline void srtp_policy_destroy(linbo_srtp3::Policy* policy)
{
	delete policy;
}

inline srtp_err_status_t srtp_policy_set_ssrc(linbo_srtp3::Policy* policy, srtp_ssrc_t ssrc)
{
	policy->v2.ssrc = ssrc;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(linbo_srtp3::Policy* policy, srtp_profile_t profile)
{
	const srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->v2.rtp, profile);

	if (err != srtp_err_status_ok)
	{
		return err;
	}

	return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->v2.rtcp, profile);
}

// Only a single master key without MKI, which is all mediasoup asks for.
inline srtp_err_status_t srtp_policy_add_key(
  linbo_srtp3::Policy* policy,
  const uint8_t* key,
  size_t keyLen,
  const uint8_t* salt,
  size_t saltLen,
  const uint8_t* /*mki*/,
  size_t mkiLen)
{
	if (mkiLen != 0 || keyLen + saltLen > sizeof(policy->keyAndSalt))
	{
		return srtp_err_status_bad_param;
	}
	std::memcpy(policy->keyAndSalt, key, keyLen);
	std::memcpy(policy->keyAndSalt + keyLen, salt, saltLen);

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(linbo_srtp3::Policy* policy, bool allow)
{
	policy->v2.allow_repeat_tx = allow ? 1 : 0;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(linbo_srtp3::Policy* policy, size_t windowSize)
{
	policy->v2.window_size = windowSize;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_create(srtp_t* session, linbo_srtp3::Policy* policy)
{
	return srtp_create(session, &policy->v2);
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

// mediasoup uses no MKI, so the index is always 0.
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
	{
		return srtp_err_status_bad_mki;
	}

	return linbo_srtp3::OutOfPlace(
	  rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN, [ctx](uint8_t* packet, int* len) {
		  return srtp_protect(ctx, packet, len);
	  });
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return linbo_srtp3::OutOfPlace(srtp, srtpLen, rtp, rtpLen, 0, [ctx](uint8_t* packet, int* len) {
		return srtp_unprotect(ctx, packet, len);
	});
}

// libsrtp 2 appends the 4-byte SRTCP index on top of the trailer.
inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
	{
		return srtp_err_status_bad_mki;
	}

	return linbo_srtp3::OutOfPlace(
	  rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4, [ctx](uint8_t* packet, int* len) {
		  return srtp_protect_rtcp(ctx, packet, len);
	  });
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return linbo_srtp3::OutOfPlace(srtcp, srtcpLen, rtcp, rtcpLen, 0, [ctx](uint8_t* packet, int* len) {
		return srtp_unprotect_rtcp(ctx, packet, len);
	});
}

// From here on, srtp_policy_t means libsrtp 3's opaque handle (mediasoup writes
// `srtp_policy_t policy{ nullptr }`).
using linbo_srtp3_policy_t = linbo_srtp3::Policy*;
#define srtp_policy_t linbo_srtp3_policy_t
