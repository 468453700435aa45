"""Word lists of the text model: stop words, procurement boilerplate, cross-language concepts.

* ``STOP_WORDS``: per language, short on purpose: function words only (articles, pronouns,
  prepositions, conjunctions, auxiliaries), which is what a language guess needs and what BM25
  weighting does not already discount well enough on a small corpus; ``STEMMER_FOR`` names the
  snowball stemmer of each language.
* ``BOILERPLATE``: words of the procedure rather than of the purchase, in all languages at once.
* ``CONCEPT_WORDS`` / ``CONCEPT_PREFIXES``: the multilingual vocabulary of what is bought.
"""

from __future__ import annotations

_RAW: dict[str, str] = {
    "en": """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each few
        for from further had has have having he her here hers him his how i if in into is it its
        itself just me more most my no nor not of off on once only or other our ours out over own
        same she should so some such than that the their theirs them then there these they this
        those through to too under until up very was we were what when where which while who whom
        why will with would you your yours shall may must within without per via upon etc""",
    "de": """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
        anderes auch auf aus bei bin bis bist da damit dann das dass dein deine dem den denn der
        des dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem
        einen einer eines er es etwas euer eure für gegen gewesen hab habe haben hat hatte hier
        hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden jeder jedes
        jener kann kein keine können könnte machen man manche mein meine mich mir mit muss nach
        nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so solche soll sollte
        sondern sonst über um und uns unser unter viel vom von vor während war waren warum was
        weil welche welchem welchen welcher wenn werde werden wie wieder will wir wird wo wollen
        würde zu zum zur zwar zwischen sowie bzw gemäß""",
    "fr": """au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les
        leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que
        qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous été être avoir ont
        est sera seront était sont afin ainsi aussi autre autres cela celle celles celui ceux
        comme dont entre leurs lors peut plus sans selon sous tout toute toutes tous très""",
    "es": """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
        durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto
        estos fue fueron ha han hasta la las le les lo los más me mi mis mucho muy ni no nos o
        otra otras otro otros para pero por porque que quien se ser si sin sobre su sus también
        tanto te ti todo todos tu tus un una uno unos y ya será serán dicho dicha según""",
    "it": """a ad agli ai al alla alle allo anche come con da dai dal dalla dalle degli dei del
        della delle dello di e ed è gli ha hanno i il in la le lo ma ne nei nel nella nelle nello
        non o per più quale quali quando quello questa queste questi questo se sia sono su sui
        sul sulla sulle tra tutti tutto un una uno essere stato stata sarà saranno ovvero""",
    "nl": """aan al als bij dan dat de der deze die dit doch door dus een en er haar had heb
        hebben heeft hem het hier hij hoe hun ik in is je kan kon maar me meer men met mij mijn
        na naar niet nog nu of om omdat ons onze ook op over te tegen toen tot u uit van veel
        voor want was wat we wel werd wie wij wordt worden zal ze zich zij zijn zo zonder""",
    "pt": """a ao aos as até com como da das de dela dele deles do dos e ela elas ele eles em
        entre era essa esse esta este eu foi foram há isso isto já lhe mais mas me mesmo meu
        minha muito na nas nem no nos não o os ou para pela pelas pelo pelos por qual quando que
        se sem ser seu seus sua suas são também te tem um uma umas uns à às é""",
    "sv": """alla att av blev bli den det detta dig din du där efter ej eller en er ett från för
        han hans har henne hon honom hur här i icke inom inte jag kan man med mellan men mig min
        mot mycket ni nu när och om oss på samt sedan sig sin sina själv skall ska som så till
        under upp ut utan vad var vara vi vid vilka vilken vår än är åt över""",
    "da": """af alle alt at blev blive bliver da de dem den denne der deres det dette dig din
        disse dog du efter eller en end er et for fra ham han hans har havde have hende hendes
        her hos hun hvad hvis hvor i ikke ind jeg kan kunne man mange med meget men mig min mod
        ned noget nogle nu når og også om op os over på sig sin skal som sådan thi til ud under
        var vi vil ville vor være været""",
    "pl": """a aby ale bez bo by być czy dla do gdy i ich ja jak jako je jego jej jest jeśli
        już lub ma mi może na nad nie niż o od oraz po pod przez przy się są ta tak także te
        tego ten to tu w we z za ze że oraz który która które których zostanie""",
    "ro": """a ai al ale am ar are au cu că care ce cel cea cei cele din după este fi fost în
        între la le mai nu o pe pentru prin sa sau se si să sunt și un una unei unui""",
    "cs": """a aby ale ani by byl byla bylo být do i jak je jeho jej její jsou k ke kde když
        na nad o od pro před při s se si ta tak také tato to tu u v ve z za že který která které
        který jsou nebo podle""",
    "hu": """a az és egy hogy nem is meg de ez el mint csak már még van volt lesz kell vagy
        azt ezt ki be fel le után által alatt között szerint illetve""",
    "fi": """ja on ei se että hän oli ole ovat mutta kun tai jos niin kuin myös sekä joka jotka
        tämä nämä sen ne siitä sitä vain""",
}

STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _RAW.items()
}

#: snowball algorithm per language code (PyStemmer names)
STEMMER_FOR: dict[str, str] = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "sv": "swedish",
    "da": "danish",
    "pl": "polish",
    "ro": "romanian",
    "cs": "czech",
    "hu": "hungarian",
    "fi": "finnish",
}

#: Procurement boilerplate: words that occur in notices of every kind (the procedure, the
#: contract, the parties, lots, quantities, periods) and so say nothing about *what* is bought.
#: Written accent-folded and lower-case; a token is dropped when its folded form is listed. These
#: are not used for the language guess. Words that name a kind of purchase ("works",
#: "construction", "maintenance", "equipment") are deliberately *not* listed.
_BOILERPLATE_RAW: dict[str, str] = {
    "en": """contract contracts contracting contractor contractors contractual tender tenders
        tendering tenderer tenderers procurement procurements procure procured purchase
        purchasing purchaser supply supplies supplier suppliers service services provision
        provide provided provider providers providing deliver delivery lot lots framework
        frameworks agreement agreements authority authorities entity notice award awarded
        awarding call bid bids bidder bidders offer offers operator operators economic public
        procedure procedures subject scope purpose aim aims objective objectives description
        described including include includes included related requirement requirements required
        require requires specification specifications document documents documentation period
        months month years year option options estimated estimate value eur gbp vat excluding
        approximately various number following see detail details detailed accordance basis
        ensure intends intended seeking seeks invites invite hereby new competition qualified
        suitable suitably successful within whole entire ongoing""",
    "de": """auftrag auftrage auftrags auftraggeber auftragnehmer vergabe vergabeverfahren
        ausschreibung ausschreibungen lieferung lieferungen leistung leistungen los lose
        rahmenvertrag rahmenvereinbarung vertrag vertrage vertrags angebot angebote bieter
        beschaffung beschaffungen vergabeunterlagen beschaffungsunterlagen gegenstand verfahren
        zeitraum rahmen naheren angaben finden erbringung""",
    "fr": """marche marches contrat contrats accord cadre lot lots prestation prestations
        fourniture fournitures consultation appel offres offre procedure procedures objet
        titulaire pouvoir adjudicateur acheteur present presente portant relatif relative
        relatifs relatives mission notamment cadre""",
    "es": """contrato contratos contratacion suministro suministros servicio servicios lote
        lotes licitacion acuerdo marco objeto procedimiento adjudicacion realizacion""",
    "it": """appalto appalti fornitura forniture servizio servizi lotto lotti gara procedura
        affidamento contratto contratti oggetto avviso""",
    "nl": """opdracht opdrachten aanbesteding aanbestedingen levering leveringen dienst diensten
        perceel percelen raamovereenkomst raamovereenkomsten overeenkomst inschrijving
        inschrijver opdrachtgever""",
    "pt": """contrato contratos fornecimento fornecimentos servico servicos lote lotes concurso
        procedimento aquisicao prestacao objeto""",
    "pl": """zamowienie zamowienia zamowieniu zamowien dostawa dostawy dostaw usluga uslugi uslug
        przetarg czesc czesci umowa umowy przedmiot przedmiotem wykonawca wykonawcy zamawiajacy
        zamawiajacego realizacja wykonanie""",
    "sv": """upphandling upphandlingen ramavtal avtal avtalet tjanst tjanster leverans leveranser
        anbud anbudet""",
    "da": """udbud udbuddet udbuddets rammeaftale rammeaftaler aftale aftalen kontrakt kontrakten
        levering leveringer ydelse ydelser tilbud""",
    "ro": """contract contractul contracte achizitie achizitia achizitii servicii serviciu
        furnizare lot loturi procedura obiectul""",
    "cs": """zakazka zakazky zakazce verejna verejne dodavka dodavky sluzba sluzby predmet
        predmetem plneni smlouva smlouvy""",
    "hu": """szerzodes szerzodest beszerzes kozbeszerzes ajanlat ajanlatkero ajanlattevo""",
    "fi": """hankinta hankinnan hankinnat sopimus sopimuksen palvelu palvelut palveluiden tarjous
        tarjoukset""",
}

BOILERPLATE: frozenset[str] = frozenset().union(
    *(words.split() for words in _BOILERPLATE_RAW.values())
)

#: Cross-language concepts: what is bought, in the portal's languages, so that notices in
#: different languages about the same thing share features. One concept per line; entries are
#: accent-folded, lower-case word *beginnings* (at least 4 letters; "architekt" matches
#: "Architekten"), or whole words when written with a leading "=". In compounding languages
#: (German, Dutch, Swedish, Danish, Finnish, Hungarian) beginnings of 5 letters or more are also
#: found inside words ("Sportplatzbauarbeiten" -> sport, construction). The list follows the CPV
#: divisions and groups (construction, engineering, IT, health, transport, business services ...)
#: and the technologies of research infrastructures; it is a vocabulary, not a translator: a
#: missing word only means no cross-language credit for it.
_CONCEPTS_RAW: dict[str, str] = {
    "construction": """construction =construct =constructed =constructing construcc construca
        construir construi constructii constructie costru bauarbeit bauleist bauwerk baumassn
        neubau umbau bauvorhab =bau bouw budow stavb staveb vystavb epites epitesi rakent byggn
        byggar bygge =bygg buvniec""",
    "building": """building =buildings batiment edific gebaude gebouw budynk budynek budov epulet
        rakennus byggnad bygning cladir""",
    "civil_engineering": """=civil =civils =civiles =civile =civili tiefbau ingenieurbau genie
        grondwerk inzynier inzenyr""",
    "road": """=road =roads roadway roadworks =route =routes voirie chaussee carretera viari
        =strada =strade stradal strasse =droga =drogi drogow =silnice silnic kozut =utak =tie
        =tiet =vag =vagar =vej =veje estrada rodovi =drum =drumuri""",
    "bridge_tunnel": """bridge viaduc viadu =pont =ponts puente =ponte brucke =brug =most =mostu
        =bro =bru tunnel =tunel tunelu =galleria underpass overpass =hid""",
    "railway": """railway =rail =rails ferrovi ferroc =tram =trams tramway tranvia eisenbahn =bahn
        strassenbahn spoorweg =spoor kolej zelezn jarnvag jernban vasut rautatie =train =trains
        =treno =treni =tren =trem =metro""",
    "bus": """=bus =buses busses autobus autobuz =bussar =busser =bussen =busz =bussi =coach
        =coaches autocar""",
    "vehicle": """vehicle vehicu veicol fahrzeug voertuig pojazd vozidl jarmu ajoneuv =auto =autos
        =car =cars =voiture voitures =coche =coches =bil =bilar =biler samochod automobil
        automovil automoveis""",
    "transport": """transport trasport vervoer przewoz doprav kuljet befordr""",
    "passenger": """passeng voyageur pasajer passegg passageir fahrgast reisend reiziger pasazer
        cestuj =utas utasok matkust passager""",
    "boat": """=boat =boats =ship =ships =ferry ferries =bateau =bateaux navire =barco =barcos
        =nave =navi traghett schiff =fahre =boot =boten =schip schepen statek statki =lod =lodi
        =hajo =alus =bat =batar =baad =baade =skib ferje =faerge hurtigbat ekspressbat""",
    "aviation": """aircraft airport airside aeroport aeropuert flughafen luchthaven lotnisk letist
        repuloter lentoasem flygplats lufthavn =avion avions flugzeug samolot""",
    "water": """=water =waters =eau =eaux =agua =aguas =acqua =acque =wasser trinkwasser
        wasserversorg =woda =wody wodoci =voda =vody vodovod =viz =vizi =vesi =vatten =vand =apa
        =apei""",
    "wastewater": """wastewater sewage sewer =sewers assainiss epuration =usees residual depurad
        depurat fognat abwasser klaranlag kanalisat =riool rioolwater afvalwater zuiverin
        =scieki sciekow kanalizac kanaliza oczyszczal cistir =cov szennyviz jatevesi avlopp
        spildevand kloak canaliza epurare esgoto residuais""",
    "waste": """=waste =wastes =refuse =dechet =dechets residuo rifiut abfall =mull mullverb afval
        odpad hulladek =jate jatteen avfall affald deseu""",
    "heating": """heating =heat chauffag calefac riscald heizung heizkraft =heiz =warme fernwarme
        verwarm ogrzew =cieplo ciepln vytap =teplo futes lammit uppvarm =varme fjernvarm
        incalzir aquecim boiler chaudier caldera caldaia kessel =ketel kociol kotel kazan
        kattila =panna pannor kedel""",
    "cooling_ventilation": """cooling chiller refrigera =froid refroid frigorif refriger raffredd
        klimatis klimatiz =kalte kalteanl kuhlung koeling chlodz chlazen =chladu =chlad hutes
        jaahdy =kyla kylning koling ventilat ventilac luftung =hvac =vzt climatis climatiz
        aircondition airco""",
    "energy": """energ =power kraftwerk elektrown voimala""",
    "electrical": """electri elettri elektri elektry elektro villamos =sahko sahkot =strom""",
    "electronics": """electron elettron elektron""",
    "lighting": """lighting eclairag luminair alumbrad iluminac illuminaz beleucht verlicht oswietl
        osvetl vilagit valaist belysning =lamp =lamps lampe =lampa lampy""",
    "telecom": """telecom telekom telecomun =cellular =lte =gsm =mobile radiocommun =antenna
        =antennas =antenne =antena telefon telephon telefoon =phone =phones""",
    "computer": """computer =pc =pcs ordinateur ordenador computador =rechner =laptop =laptops
        =tablet =tablets =tablette informatiq informatic informatik informaty =it =ict =tic
        =dator datorer pocitac szamitog tietokone tietotekn =edb =hardware""",
    "software": """software logiciel oprogramow szoftver ohjelmist programvar programmel platform
        plateform plataform piattaform =app =apps""",
    "data": """=data =donnees =datos =dati =daten =dane =danych =udaje =adat =adatok =tiedot
        database datenbank""",
    "cybersecurity": """cyber penetrat""",
    "security_guarding": """security securit seguridad sicurezz sicherheit beveilig bezpiec bezpecn
        biztons turvall sakerhet sikkerhed securitat seguranc =guard guarding gardienn vigilan
        bewach bewaking ochron =alarm =alarms =alarme alarmanl""",
    "laboratory": """laborat =lab =labs =labor laborbed""",
    "microscopy_optics": """microscop mikroskop mikroszkop =optic optical optiq optik optyk ottic
        optisk optiik =laser =lasers =lezer""",
    "analysis": """analys analyz analis analiz elemz""",
    "testing": """=test =tests testing tester testeur =essai =essais ensayo =prova prufung prufger
        =testy testov zkous tesztel testaus provning""",
    "research": """research recherch investigac ricerca forschung onderzoek badawcz =badania badan
        vyzkum kutat tutkimu forskning scientif wissenschaft wetenschap naukow vedeck tudomany
        tieteel""",
    "medical": """medic mediz =health healthcare =sante sanitario salud =saude gesundheit
        gezondheid zdrow zdravot egeszseg terveys halso sundhed sanatat clinic clinique clinica
        klinik klinisk""",
    "hospital": """hospital hopital ospedal krankenhaus ziekenhuis szpital nemocnic korhaz sairaala
        sjukhus sygehus =spital spitalul""",
    "pharmaceutical": """pharma farmac arznei geneesmiddel =leki lekow leciv gyogyszer laake
        lakemedel laegemid medicament =drug =drugs""",
    "patient": """patient pacjent pacient pazient =beteg betegek potila""",
    "oncology_radiotherapy": """radiother radioter strahlenther oncolog onkolog =cancer krebs
        nowotw""",
    "food": """=food =foods foodstuff aliment lebensmittel nahrungsmittel voedings zywnos spozyw
        potravin elelmiszer elintarvik livsmedel fodevar =meat mieso =viande =carne =fleisch
        =vlees""",
    "catering": """=meal =meals catering =repas restaura ristora =comida =comidas =pasti =pasto
        mahlzeit verpflegung maaltijd posilk =jidlo stravov etkez ateria =maltid maltider
        maaltid cantine canteen =mensa kantine stolowk""",
    "furniture": """furnitur mobilier =meubles mueble =mobili arred =mobel mobeln meubilair =meubel
        mebl nabytek butor kaluste mobler inredning indretn""",
    "clothing_textile": """clothing garment textil vetement =ropa vestiar abbigliam bekleid kleding
        odziez odev ruhaz vaatte klader tekstil""",
    "printing_publishing": """=print printing printed imprim drucksach druckerei drukw drukar =tisk
        tiskov nyomd painat trycksak tryckeri tryksag trykkeri publishing =publisher =publishers
        publicati publicac publikac =journals =revue =revista =rivista zeitschrift tijdschrift
        czasopism casopis folyoirat aikakaus tidskrift tidsskrift =book =books =livre =livres
        =libro =libri =buch bucher =boek boeken ksiazk =kniha =knihy =konyv =kirja =bok =bog""",
    "translation": """translat traduc traduz ubersetz vertaal tlumacz preklad forditas kaannos
        oversatt oversaet""",
    "legal": """=legal =law =laws lawyer juridi giuridic =avocat =avocats =abogado =abogados
        avvocat advogad rechtsanw rechtsbera advocat advocaa =prawne =prawnych pravni =jogi
        oikeud advokat solicitor""",
    "audit_accounting": """audit accounting comptab contab buchhalt wirtschaftspruf boekhoud
        ksiegow ucetn konyvel kirjanpit bokfor regnskab =revisor =revisors""",
    "certification": """certific zertifiz certyfik certifik sertifi =iso""",
    "evaluation": """evalua valutaz bewertung ewaluac hodnoc ertekel arvioin utvarder evaluer
        assessment =assess""",
    "consultancy": """consult beratung =advice advisory advies doradz poradens tanacsad konsult""",
    "marketing": """marketing advertising =advert =adverts advertisement publicit =werbung
        werbemittel werbekampagn reklam reclam promot promoc promoz =branding =branded
        merchandis""",
    "events": """=event =events evenement =evento =eventi veranstalt wydarz rendezveny tapahtum
        evenemang festival concert konzert""",
    "culture": """cultur kultur =museum musee =museo =musei muzeum muzea =muzeu museet museum""",
    "music_sound": """=music musique musica =musik muziek muzyk =zene musiikki sonoris =sound
        beschall naglosn ozvuc =audio""",
    "sport": """sport deport desport =idrott idraet urheilu liikunta""",
    "school": """school =ecole =ecoles scolair escol =scuola =scuole scolast schul =szkola =szkoly
        =szkol =skola =skole =skolor iskol =koulu =koulut =scoala =scoli""",
    "education_training": """educat educac educaz edukac bildung onderwijs vzdelav oktatas koulutu
        utbildn uddann training =formation =formations formateur formac formaz schulung opleid
        szkolen skoleni kepzes =kurs kursang =course =courses =cours =curso =cursos =corso
        =corsi teacher enseignant =docente =docenti profesor lehrer lehrkraft leraar nauczyc
        ucitel =tanar opettaj larare laerer""",
    "social": """social sozial sociaal spolecz socialn szocial sosiaal =socialt sociala""",
    "employment": """employment employab =emploi empleo impiego beschaftig arbeitsmarkt werkgeleg
        zatrudn zamestn foglalkoztat tyollis arbetsmarknad""",
    "children": """child =enfant =enfants =nino =ninos bambin =kind =kinder kinderg =dziec =dzieci
        =deti =gyerek =lapsi =lapset =barn =copii""",
    "housing": """housing =homes dwelling logement vivienda =alloggi abitativ wohnung =wohnen
        woning mieszka =byt =byty bydlen lakas =asunto asunnot bostad bostader bolig locuint""",
    "architecture_design": """architect architett arquitect architekt arkitekt arhitect arkkiteh
        =design designer progettaz diseno ontwerp projektow projektova tervez suunnitt maitrise""",
    "urban_planning": """planning planung planif pianific planow planovan planering planlaeg
        urbanis stadtebau stedebouw planeam""",
    "landscape_green": """landscap paysag paisaj paesagg landschaft landschap krajobraz krajin =taj
        maisema landskap landskab peisag =park =parks =parc =parcs =parque =parco =parki =parku
        parkanlag =puisto grunanlag grunflach freiraum =groen zielen =zelen =zold viheral =verts
        =verde""",
    "winter_service": """=snow snowplough deneig =neige =nieve =neve schnee winterdienst =sneeuw
        =snieg sniegu odsniez =snih snehu =lumi =sno =sne snerydn snorojn =zapada =winter =hiver
        invernal =zima =talvi""",
    "cleaning": """cleaning =clean nettoyag nettoy limpieza limpez pulizi reinigung reiniging
        sprzat =uklid takarit siivou stadning rengor curatenie schoonmaak""",
    "maintenance_repair": """mainten entretien manten manuten wartung instandhalt onderhoud
        konserwac utrzyman udrzb karbantart kunnossapi huolto underhall vedligehold intretiner
        repair repar ripar =oprava opravy javit""",
    "installation": """install instalac instala installaz montage =montaz montaze =montaz asennu
        montering telepit""",
    "machinery": """machin maquin macchin maschin maszyn =stroj =stroje =gep =gepek =kone =koneet
        =maskin maskiner""",
    "pump": """=pump =pumps pumping =pompe =pompes =bomba =bombas =pompa =pompe =pumpe pumpen =pomp
        =pompen =pompy cerpadl cerpac szivatty pumppu pumpar =pumper""",
    "forestry_timber": """forest =foret forets =bosco =boschi =wald forst =bos bosbeheer =lasy
        lasow lesn =erdo erdesz metsa =skog skogs =skov padur silvic timber =lumber =wood =bois
        =madera =legno =holz =hout drewn =drevo =dreva =puu =tra =trae =lemn lemnoas =flis""",
    "fuel_biomass": """biomass biomas =fuel =fuels combustib brennstoff brandstof =paliw paliwa
        palivo polttoain bransle braendsel""",
    "nuclear_fusion": """nuclear nucleair nuklear jadrow jadern =ydin karnkraft karnteknik reactor
        reacteur reattore reaktor fusion fuzj tokamak =iter plasma irradiat bestrahl irradiac
        irraggiam naswietl""",
    "accelerator_particles": """accelerat acelerad beschleunig versneller akcelerat kiihdyt
        particle =particule =particules =particula =particulas particel teilchen deeltje czastk
        castic reszecsk hiukkas partikel""",
    "rf_microwave": """gyrotron klystron magnetron =rf radiofrequ hochfrequenz hoogfrequ microwave
        microond mikrowel""",
    "vacuum": """vacuum =vide =vacio =vuoto vakuum =proznia prozni tyhjio""",
    "cryogenics": """cryog cryost =cryo kryo kriog criog =helium =elio liquef verflussig
        superconduct supraconduct superconduttor supraleit supergeleid nadprzewodz supravod
        szupravezet suprajoht supraledar""",
    "magnet": """magnet magnes =coil =coils =bobine bobina spule =spoel =cewka civk tekercs""",
    "detector_sensor": """detector detect rivelator detektor sensor capteur czujnik cidlo erzekel
        anturi givare""",
    "welding_metal": """weld soudag soudur soldad saldat schweiss spawan svarov hegeszt hitsau
        svets svejs =sudura =steel =acier =acero =acciaio =stahl edelstahl =staal =stal stali
        =ocel =acel =teras copper =cuivre =cobre =rame kupfer =koper =miedz kupari =koppar
        =kobber""",
    "concrete_paving": """concrete =beton betonu betoni hormig calcestruzz =betao asphalt asfalt
        pavement paving pavimen =belag belage bitum nawierzch vozovk burkolat paallyst
        belaggning belaegning""",
    "kitchen_bathroom": """kitchen =cuisine =cuisines =cocina =cucina kuche keuken kuchn kuchyn
        =konyha keitti =kok kokken bathroom =bain =bains =bano =banos =bagno =bagni =bad =bader
        lazienk koupeln =furdo kylpyhuo badrum badevaer sanitar sanitair""",
    "finance_payment": """financ finanz finans =financn penzugy payment paiement =pago =pagos
        pagament zahlung betaling platnos platb fizetes =maksu betaln =cash bank banca banco""",
    "insurance": """insuranc insurer =seguro =seguros assicuraz versicher verzeker ubezpiecz pojist
        biztosit vakuut forsakr forsikr""",
    "postal_courier": """=postal courier =courrier =correo =posta poczt kurier koerier""",
    "recruitment_staffing": """recruit recrut reclut staffing =interim zeitarbeit uitzend rekrut
        rekryt toborz""",
    "fire_protection": """=fire firefight =incendie incendi brandschutz brandbeveil brandsakerhet
        =pozar przeciwpozar pozarn =tuz tuzvedel =palo brandskydd =incendiu""",
    "navigation_gps": """=gps =gnss navigat navegac navigaz =ortung geoloc tracking""",
    "display_screen": """=display =displays =screen =screens =ecran =ecrans =pantalla =schermo
        =schermi bildschirm beeldscherm =ekran =ekrany obrazovk kijelzo naytto =skarm =skaerm
        =monitory =monitore =monitores =moniteur whiteboard =tafel tafeln =tablica =tabule""",
    "audiovisual": """televis =tv fernseh telewiz televiz multimedia =video =videos audiovis""",
    "doctors_nursing": """doctor medecin arzt =lekarz =lekar =orvos laakari lakare =laege nurse
        nursing infirmi enfermer infermier krankenpfleg verpleeg pielegni =apolo sairaanhoi
        sjukskot sygeplej""",
    "emergency": """emergenc urgence urgenc urgenz notfall spoedeis ratunk zachran surgoss ensihoi
        =akut""",
}


def _parse_concepts() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    exact: dict[str, list[str]] = {}
    prefix: dict[str, list[str]] = {}
    for concept, entries in _CONCEPTS_RAW.items():
        for entry in entries.split():
            if entry.startswith("="):
                exact.setdefault(entry[1:], []).append(concept)
            elif len(entry) < 4:
                raise ValueError(f"concept prefix {entry!r} of {concept!r} is shorter than 4")
            else:
                prefix.setdefault(entry, []).append(concept)
    return (
        {w: tuple(dict.fromkeys(c)) for w, c in exact.items()},
        {p: tuple(dict.fromkeys(c)) for p, c in prefix.items()},
    )


#: whole folded words -> concepts, and folded word beginnings -> concepts
CONCEPT_WORDS, CONCEPT_PREFIXES = _parse_concepts()

#: languages that write compounds as one word: concept beginnings are also looked for inside words
COMPOUNDING: frozenset[str] = frozenset({"de", "nl", "sv", "da", "fi", "hu"})
