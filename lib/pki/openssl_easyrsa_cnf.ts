/**
 * The `openssl-easyrsa.cnf` written into a new PKI. Easy-RSA expects this file in the
 * PKI directory and drives `openssl ca`/`openssl req` with it; values come from the
 * environment variables Easy-RSA exports (`EASYRSA_PKI`, `EASYRSA_DIGEST`, …).
 *
 * @module
 */

/** The configuration text (our own wording; same section and variable names Easy-RSA uses). */
export const OPENSSL_EASYRSA_CNF = `# OpenSSL configuration for an Easy-RSA style PKI.
# Written by kubestellar-ensure-kcp-server-creds; Easy-RSA exports the variables used here.

[ ca ]
default_ca	= CA_default

[ CA_default ]
dir		= $ENV::EASYRSA_PKI
certs		= $dir
crl_dir		= $dir
database	= $dir/index.txt
new_certs_dir	= $dir/certs_by_serial
certificate	= $dir/ca.crt
serial		= $dir/serial
crl		= $dir/crl.pem
private_key	= $dir/private/ca.key
x509_extensions	= basic_exts
default_days	= $ENV::EASYRSA_CERT_EXPIRE
default_crl_days = $ENV::EASYRSA_CRL_DAYS
default_md	= $ENV::EASYRSA_DIGEST
preserve	= no
policy		= policy_anything

[ policy_anything ]
countryName		= optional
stateOrProvinceName	= optional
localityName		= optional
organizationName	= optional
organizationalUnitName	= optional
commonName		= supplied
name			= optional
emailAddress		= optional

[ req ]
default_bits		= $ENV::EASYRSA_KEY_SIZE
default_keyfile		= privkey.pem
default_md		= $ENV::EASYRSA_DIGEST
distinguished_name	= cn_only
x509_extensions		= easyrsa_ca

[ cn_only ]
commonName		= Common Name (eg: your user, host, or server name)
commonName_max		= 64
commonName_default	= $ENV::EASYRSA_REQ_CN

[ basic_exts ]
basicConstraints	= CA:FALSE
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid,issuer:always

[ easyrsa_ca ]
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid:always,issuer:always
basicConstraints	= critical,CA:true
keyUsage		= cRLSign, keyCertSign
`;
