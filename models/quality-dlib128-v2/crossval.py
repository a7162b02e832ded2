"""Input selection for quality v2: leave-one-group-out Spearman of a 16-unit MLP on feature sets.

Usage: nice -n 19 /usr/bin/python3 models/quality-dlib128-v2/crossval.py DIR/quality-data.jsonl v1cues,cues,emb,embproj [ridge_lambda]
v1cues = the first 4 ChipCues; cues = all 11; emb = cues + log norm + cosine to the mean clean face (the v2 inputs);
embproj = emb + a ridge projection of the unit embedding onto the target.
"""
import json, sys, numpy as np, torch
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from train import spearman, kind_of
torch.set_num_threads(1)
rows=[]
for l in open(sys.argv[1]):
    try: rows.append(json.loads(l))
    except json.JSONDecodeError: pass  # a file still being written ends in a partial line
cos=np.array([r['target'] for r in rows]); cues=np.array([r['cues'] for r in rows],np.float32); emb=np.array([r['embedding'] for r in rows],np.float32)
v1=np.array([r['v1'] for r in rows]); kinds=np.array([kind_of(r['degradation']) for r in rows]); hold=np.array([r['holdout'] for r in rows])
y=np.clip((cos-0.8)/0.2,0,1).astype(np.float32)
u=emb/np.linalg.norm(emb,axis=1,keepdims=True)
groups=sorted(set(hold)); print(len(rows), groups)
def feats(mask_train, mode):
    mu=u[mask_train&(kinds=='clean')].mean(0); mu/=np.linalg.norm(mu)
    F=[cues[:, :4] if mode=='v1cues' else cues]
    if mode in ('emb','embproj'):
        F += [np.log(np.linalg.norm(emb,axis=1,keepdims=True)), (u@mu)[:,None]]
    if mode=='embproj':
        A=u[mask_train]; t=y[mask_train]; lam=float(sys.argv[3]) if len(sys.argv)>3 else 1.0
        w=np.linalg.solve(A.T@A+lam*np.eye(128), A.T@(t-t.mean()))
        F.append((u@w)[:,None])
    return np.concatenate(F,1).astype(np.float32)
def run(mode, hidden=16, epochs=60, wd=1e-2):
    preds=np.zeros(len(rows))
    for g in groups:
        te=hold==g; tr=~te
        X=feats(tr,mode); m=X[tr].mean(0); s=X[tr].std(0)+1e-6; X=(X-m)/s
        torch.manual_seed(1)
        net=torch.nn.Sequential(torch.nn.Linear(X.shape[1],hidden),torch.nn.GELU(),torch.nn.Linear(hidden,1))
        opt=torch.optim.AdamW(net.parameters(),lr=3e-3,weight_decay=wd)
        Xt=torch.from_numpy(X[tr]); yt=torch.from_numpy(y[tr])
        for ep in range(epochs):
            perm=torch.randperm(len(yt))
            for i in range(0,len(perm),256):
                idx=perm[i:i+256]; loss=torch.nn.functional.mse_loss(torch.sigmoid(net(Xt[idx])).squeeze(1),yt[idx]); opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad(): preds[te]=torch.sigmoid(net(torch.from_numpy(X[te]))).squeeze(1).numpy()
    per=[spearman(preds[hold==g],cos[hold==g]) for g in groups]
    line=f"{mode:8s} pooled {spearman(preds,cos):.3f} meanGroup {np.mean(per):.3f} "
    for kd in ['Blur','DownScale','Noise','Jpeg','Occlusion','Lighting','combination']:
        mk=kinds==kd; line+=f"{kd[:5]} {spearman(preds[mk],cos[mk]):.2f} "
    print(line, flush=True)
print('v1 pooled', spearman(v1,cos))
for mode in sys.argv[2].split(','): run(mode)
